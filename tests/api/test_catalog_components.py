"""The catalog's components as Langflow 1.13's /api/v1/all has them (field names, input types, outputs, legacy
marks), and what flows built from those templates do: Pass hands its input message on, a Prompt Template in
double-bracket mode fills {{name}} tags, a component's failure goes out as the stored error message. Each checked
against a live Langflow 1.13.0 running the same flows."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import create_flow, failure_text, new_api_key


def catalog(client: TestClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    listed = client.get("/api/v1/all", headers=headers).json()
    return {name: node for category, nodes in listed.items() if category != "component_display_names"
            for name, node in nodes.items()}


def node(components: dict[str, dict[str, Any]], kind: str, node_id: str, **values: Any) -> dict[str, Any]:
    """A node as a client builds it from /all's template, with field values set."""
    template = copy.deepcopy(components[kind])
    for name, value in values.items():
        template["template"][name]["value"] = value
    return {"id": node_id, "type": "genericNode", "position": {"x": 0, "y": 0},
            "data": {"id": node_id, "type": kind, "node": template}}


def edge(source: dict[str, Any], output: str, target: dict[str, Any], field: str) -> dict[str, Any]:
    out = next(o for o in source["data"]["node"]["outputs"] if o["name"] == output)
    into = target["data"]["node"]["template"][field]
    source_handle = {"dataType": source["data"]["type"], "id": source["id"], "name": output,
                     "output_types": out["types"]}
    target_handle = {"fieldName": field, "id": target["id"], "inputTypes": into.get("input_types"),
                     "type": into["type"]}

    def handle(value: dict[str, Any]) -> str:
        return json.dumps(value, separators=(",", ":")).replace('"', "œ")

    return {"source": source["id"], "target": target["id"], "sourceHandle": handle(source_handle),
            "targetHandle": handle(target_handle), "id": f"e-{source['id']}-{target['id']}-{field}",
            "data": {"sourceHandle": source_handle, "targetHandle": target_handle}}


@pytest.fixture
def mock(make_client: Callable[..., TestClient]) -> tuple[TestClient, dict[str, str], dict[str, dict[str, Any]]]:
    client = make_client(never_answer="error", job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    return client, headers, catalog(client, headers)


def run(client: TestClient, headers: dict[str, str], nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
        **body: Any) -> Any:
    flow_id = create_flow(client, headers, {"name": "catalog flow", "data": {"nodes": nodes, "edges": edges}})["id"]
    return client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi", "session_id": "s", **body},
                       headers=headers)


def answer(response: Any) -> str:
    assert response.status_code == 200, response.text
    return str(response.json()["outputs"][0]["outputs"][0]["results"]["message"]["text"])


# --- the templates --------------------------------------------------------------------------------------------


def test_pass_has_langflows_fields_and_output(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """A flow built for Langflow's Pass names input_message and output_message; the mock's used to say
    input_value and output_value, so such a flow fitted one server and not the other."""
    _, _, components = mock
    passing = components["Pass"]
    assert passing["field_order"] == ["input_message", "ignored_message"]
    assert [(o["name"], o["method"], o["types"]) for o in passing["outputs"]] == [
        ("output_message", "pass_message", ["Message"])]
    assert {name: (field["_input_type"], field["input_types"], field["required"], field["advanced"])
            for name, field in passing["template"].items() if name in passing["field_order"]} == {
        "input_message": ("MessageInput", ["Message"], True, False),
        "ignored_message": ("MessageInput", ["Message"], False, True)}
    assert (passing["legacy"], passing["replacement"]) == (True, ["flow_controls.ConditionalRouter"])
    assert passing["metadata"]["component_class_name"] == "PassMessageComponent"


def test_text_components_take_messages_and_are_legacy(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    _, _, components = mock
    text_in, text_out = components["TextInput"], components["TextOutput"]
    assert text_in["template"]["input_value"]["input_types"] == ["Message"]
    assert text_out["template"]["input_value"]["input_types"] == ["Message"]
    assert text_in["field_order"] == ["input_value", "use_global_variable"]
    assert text_in["template"]["use_global_variable"]["value"] is False
    assert text_in["template"]["use_global_variable"]["real_time_refresh"] is True
    assert text_in["replacement"] == ["input_output.ChatInput"]
    assert text_out["replacement"] == ["input_output.ChatOutput"]
    assert not components["ChatInput"]["legacy"] and "replacement" not in components["ChatInput"]
    # an Agent's instructions and a model's system message take a connected Message too
    assert components["Agent"]["template"]["system_prompt"]["input_types"] == ["Message"]
    assert components["LanguageModelComponent"]["template"]["system_message"]["input_types"] == ["Message"]


def test_read_file_fields_have_langflows_shapes(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    _, _, components = mock
    fields = components["File"]["template"]
    assert (fields["path"]["value"], fields["path"]["temp_file"], fields["path"]["real_time_refresh"]) == (
        [], False, True)
    assert fields["file_path"]["input_types"] == ["Data", "JSON", "Message"]
    assert (fields["delete_server_file_after_processing"]["value"],
            fields["delete_server_file_after_processing"]["advanced"]) == (True, True)
    assert components["File"]["documentation"] == "https://docs.langflow.org/read-file"


def test_prompt_template_offers_double_brackets(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    _, _, components = mock
    prompt = components["Prompt Template"]
    assert prompt["field_order"] == ["template", "use_double_brackets", "tool_placeholder"]
    assert prompt["template"]["use_double_brackets"]["_input_type"] == "BoolInput"
    assert "trace_as_metadata" not in prompt["template"]["template"]
    assert prompt["metadata"]["component_class_name"] == "PromptComponent"


@pytest.mark.parametrize(("version", "absent", "replacement"), [
    ("1.8", set(), ["logic.ConditionalRouter"]),
    ("1.7.1", {"use_global_variable", "use_double_brackets"}, ["logic.ConditionalRouter"]),
])
def test_earlier_releases_templates(make_client: Callable[..., TestClient], version: str, absent: set[str],
                                    replacement: list[str]) -> None:
    """Before 1.13 only Pass is legacy (its replacement named by the old category); 1.7.1's Text Input and Prompt
    Template have neither the global-variable switch nor double brackets."""
    client = make_client(langflow_version=version)
    components = catalog(client, {"x-api-key": new_api_key(client)})
    assert (components["Pass"]["legacy"], components["Pass"]["replacement"]) == (True, replacement)
    assert not components["TextInput"]["legacy"] and "replacement" not in components["TextInput"]
    fields = set(components["TextInput"]["template"]) | set(components["Prompt Template"]["template"])
    assert absent == {"use_global_variable", "use_double_brackets"} - fields
    assert not absent & set(components["TextInput"]["field_order"] + components["Prompt Template"]["field_order"])


# --- running them ---------------------------------------------------------------------------------------------


def test_pass_hands_on_its_input_message_and_drops_the_ignored_one(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    text = node(components, "TextInput", "TextInput-aaaa1", input_value="typed")
    chat = node(components, "ChatInput", "ChatInput-aaaa2")
    passing = node(components, "Pass", "Pass-aaaa3")
    out = node(components, "ChatOutput", "ChatOutput-aaaa4")
    response = run(client, headers, [text, chat, passing, out], [
        edge(text, "text", passing, "input_message"), edge(chat, "message", passing, "ignored_message"),
        edge(passing, "output_message", out, "input_value")], output_type="debug")
    assert response.status_code == 200, response.text
    built = {v["component_display_name"]: v for v in response.json()["outputs"][0]["outputs"]}
    assert built["Chat Output"]["results"]["message"]["text"] == "typed"
    # the Pass shows what it handed on as lfx shows a component's Message: the Message itself
    shown = built["Pass"]["artifacts"]["output_message"]
    assert (shown["raw"], shown["type"]) == ("typed", "text")
    assert json.loads(shown["repr"])["text"] == "typed"
    assert (built["Pass"]["results"], built["Pass"]["logs"]) == ({}, {"output_message": []})


def test_a_typed_pass_message_becomes_a_message(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    passing = node(components, "Pass", "Pass-bbbb1", input_message="literal")
    out = node(components, "ChatOutput", "ChatOutput-bbbb2")
    response = run(client, headers, [passing, out], [edge(passing, "output_message", out, "input_value")])
    assert answer(response) == "literal"
    built = run(client, headers, [passing, out], [edge(passing, "output_message", out, "input_value")],
                output_type="debug").json()["outputs"][0]["outputs"][0]
    message = json.loads(built["artifacts"]["output_message"]["repr"])
    assert (message["text"], message["sender"], message["session_id"], message["run_id"]) == ("literal", None, "", None)


def prompt_node(client: TestClient, headers: dict[str, str], components: dict[str, dict[str, Any]], node_id: str,
                template: str, **values: Any) -> dict[str, Any]:
    """A Prompt Template in double-bracket mode, its variables' fields made by the prompt check as the editor does."""
    made = node(components, "Prompt Template", node_id, use_double_brackets=True)
    checked = client.post("/api/v1/validate/prompt", json={"name": "template", "template": template,
                                                            "frontend_node": made["data"]["node"], "mustache": True},
                          headers=headers)
    assert checked.status_code == 200, checked.text
    made["data"]["node"] = checked.json()["frontend_node"]
    made["data"]["node"]["template"]["template"]["value"] = template
    for name, value in values.items():
        made["data"]["node"]["template"][name]["value"] = value
    return made


def test_double_brackets_fill_tags_and_leave_single_braces(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """lfx's safe mustache render: each {{name}} replaced once by its text (no HTML escaping, a value holding a tag
    kept as written), a name with no value empty, {name} left as it is."""
    client, headers, components = mock
    chat = node(components, "ChatInput", "ChatInput-cccc1")
    prompt = prompt_node(client, headers, components, "Prompt Template-cccc2",
                         "Hi {{name}}! {not_a_var} <b>{{who}}</b> {{missing}}", who="O'Brien <x> & {{name}}")
    out = node(components, "ChatOutput", "ChatOutput-cccc3")
    response = run(client, headers, [chat, prompt, out], [
        edge(chat, "message", prompt, "name"), edge(prompt, "prompt", out, "input_value")])
    assert answer(response) == "Hi hi! {not_a_var} <b>O'Brien <x> & {{name}}</b> "


def test_double_brackets_refuse_what_is_more_than_a_tag(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    prompt = prompt_node(client, headers, components, "Prompt Template-dddd1", "Hey {{who}}", who="W")
    out = node(components, "ChatOutput", "ChatOutput-dddd2")
    edges = [edge(prompt, "prompt", out, "input_value")]
    for template, reason in [
            ("Hey {{who}} {{#list}}x{{/list}}",
             "Complex mustache syntax is not allowed. Only simple variable substitution like {{variable}} is "
             "permitted."),
            ("Hey {{ who }}", "Invalid mustache variable: {{ who }}. Only simple variable names like {{variable}} "
                              "are allowed.")]:
        prompt["data"]["node"]["template"]["template"]["value"] = template
        response = run(client, headers, [prompt, out], edges)
        assert response.status_code == 500
        assert json.loads(response.json()["detail"])["message"] == (
            f"Error running graph: Error building Component Prompt Template: \n\n{reason}")


def test_single_brackets_are_the_default(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    prompt = prompt_node(client, headers, components, "Prompt Template-eeee1", "Plain {{who}}", who="P")
    prompt["data"]["node"]["template"]["use_double_brackets"]["value"] = False
    prompt["data"]["node"]["template"]["template"]["value"] = "Plain {who} {{who}}"
    out = node(components, "ChatOutput", "ChatOutput-eeee2")
    assert answer(run(client, headers, [prompt, out], [edge(prompt, "prompt", out, "input_value")])) == "Plain P {who}"


def test_1_7_1_has_no_double_brackets(make_client: Callable[..., TestClient]) -> None:
    """lfx 0.2's Prompt Template has no such switch: a node carrying it still fills {name} fields."""
    client = make_client(langflow_version="1.7.1")
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    prompt = node(components, "Prompt Template", "Prompt Template-ffff1", template="Hi {{who}}")
    prompt["data"]["node"]["template"]["use_double_brackets"] = {"value": True, "type": "bool"}
    out = node(components, "ChatOutput", "ChatOutput-ffff2")
    assert answer(run(client, headers, [prompt, out], [edge(prompt, "prompt", out, "input_value")])) == "Hi {who}"


# --- a component that fails -----------------------------------------------------------------------------------


def failing_file_flow(components: dict[str, dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    reader, out = node(components, "File", "File-gggg1"), node(components, "ChatOutput", "ChatOutput-gggg2")
    return [reader, out], [edge(reader, "message", out, "input_value")]


def test_a_builds_component_error_is_the_stored_message(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """Langflow stores a component's error message and sends what the store gives back: no error flag (its message
    table has none) and only the error's group block, new-shaped, while its data holds the blocks as a read shows
    them."""
    client, headers, components = mock
    nodes, edges = failing_file_flow(components)
    flow_id = create_flow(client, headers, {"name": "failing", "data": {"nodes": nodes, "edges": edges}})["id"]
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "hi", "session": "b"}}, headers=headers)
    found = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    error = next(e["data"] for e in found if e["event"] == "error")
    assert (error["text"], error["category"], error["error"], error["data"]["error"]) == (
        "No files to process.\n", "error", False, False)
    assert [(b["type"], b["title"]) for b in error["content_blocks"]] == [("group", "Error")]
    assert list(error["data"]["content_blocks"][0]) == ["title", "contents", "allow_markdown", "media_url"]
    assert error["properties"]["text_color"] == "red"
    stored = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    assert [m["content_blocks"] for m in stored] == [error["data"]["content_blocks"]]


def test_a_run_streams_the_stored_error_message(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    nodes, edges = failing_file_flow(components)
    flow_id = create_flow(client, headers, {"name": "failing", "data": {"nodes": nodes, "edges": edges}})["id"]
    response = client.post(f"/api/v1/run/{flow_id}", params={"stream": "true"},
                           json={"input_value": "hi", "session_id": "s"}, headers=headers)
    found = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    errors = [e["data"] for e in found if e["event"] == "error"]
    assert (errors[0]["error"], errors[0]["data"]["error"]) == (False, False)
    assert errors[0]["text"] == "No files to process.\n"
    assert errors[1]["error"].startswith("500: ")


# --- a path handed to Read File by an edge -------------------------------------------------------------------


def handed_path_flow(components: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Chat Input -> Read File's file_path -> Chat Output: the chat text is the path the File component reads."""
    chat, reader = node(components, "ChatInput", "ChatInput-hhhh1"), node(components, "File", "File-hhhh2")
    out = node(components, "ChatOutput", "ChatOutput-hhhh3")
    return {"nodes": [chat, reader, out], "edges": [edge(chat, "message", reader, "file_path"),
                                                    edge(reader, "message", out, "input_value")]}


def read_through(client: TestClient, headers: dict[str, str], flow_id: str, path: str) -> tuple[int, str]:
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": path, "session_id": "p"}, headers=headers)
    body = response.json()
    if response.status_code == 200:
        return 200, body["outputs"][0]["outputs"][0]["results"]["message"]["text"]
    return response.status_code, failure_text(body["detail"]).removeprefix(
        "Error running graph: Error building Component Read File: \n\n")


def test_1_13_checks_a_handed_path_as_lfxs_file_component_does(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """The path a Read File gets from an edge: a "<namespace>/<name>" storage key must name the caller's or the
    flow's folder and one file, whatever the restriction; restricted, nothing outside those folders is read (an
    absolute path, a bare name); a key whose file is gone is passed over (delete_server_file_after_processing),
    leaving no file to process. The mock read any such path, or failed it as not found."""
    client, headers, components = mock
    flow_id = create_flow(client, headers, {"name": "handed", "data": handed_path_flow(components)})["id"]
    other = create_flow(client, headers, {"name": "other", "data": handed_path_flow(components)})["id"]
    uploaded = client.post(f"/api/v1/files/upload/{flow_id}", files={"file": ("notes.txt", b"from a file\n")},
                           headers=headers).json()["file_path"]
    v2 = client.post("/api/v2/files", files={"file": ("v2.txt", b"from v2\n")}, headers=headers).json()["path"]
    denied = ("Access to local file paths outside the authenticated user's storage scope is disabled "
              "(LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS=true). Use an uploaded file instead.")
    assert read_through(client, headers, flow_id, uploaded) == (200, "from a file\n")
    assert read_through(client, headers, flow_id, v2) == (200, "from v2\n")
    assert read_through(client, headers, flow_id, f"{other}/notes.txt") == (500, (
        "Access to a storage namespace outside the authenticated user's or executing flow's scope is not "
        "permitted."))
    assert read_through(client, headers, flow_id, "../etc/passwd") == (
        500, "Invalid storage file name: contains path separators or traversal sequences.")
    assert read_through(client, headers, flow_id, "/etc/hostname") == (500, denied)
    assert read_through(client, headers, flow_id, "notes.txt") == (500, denied)
    assert read_through(client, headers, flow_id, f"{flow_id}/missing.txt") == (500, "No files to process.")


def test_before_1_13_a_handed_path_that_is_gone_is_not_found(make_client: Callable[..., TestClient]) -> None:
    client = make_client(langflow_version="1.8")
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    flow_id = create_flow(client, headers, {"name": "handed", "data": handed_path_flow(components)})["id"]
    status, text = read_through(client, headers, flow_id, f"{flow_id}/missing.txt")
    # (a 404 whose detail is the text: 1.8's /run maps a failed graph's ValueError by its words, as a live 1.8.4)
    assert status == 404 and text.startswith(f"File not found: '{flow_id}/missing.txt' (resolved to: '")


def test_message_history_reads_a_failed_components_error_message(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """The error message Langflow stores carries no error flag, so its history reads it like any other (a live
    1.13.0 lists "Read File: <the error>" after a failed run)."""
    client, headers, components = mock
    flow_id = create_flow(client, headers, {"name": "history", "data": handed_path_flow(components)})["id"]
    assert read_through(client, headers, flow_id, "/etc/hostname")[0] == 500
    memory, out = node(components, "Memory", "Memory-iiii1"), node(components, "ChatOutput", "ChatOutput-iiii2")
    reading = {"nodes": [memory, out], "edges": [edge(memory, "messages_text", out, "input_value")]}
    assert client.patch(f"/api/v1/flows/{flow_id}", json={"data": reading}, headers=headers).status_code == 200
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "x", "session_id": "p"}, headers=headers)
    assert answer(response) == ("User: /etc/hostname\nRead File: Access to local file paths outside the authenticated "
                                "user's storage scope is disabled (LANGFLOW_RESTRICT_LOCAL_FILE_ACCESS=true). Use an "
                                "uploaded file instead.\n")


# --- Message History ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_earlier_releases_name_json_and_table_outputs_as_they_did(make_client: Callable[..., TestClient],
                                                                  version: str) -> None:
    """lfx 0.2 and 0.3 call their JSON and table outputs Data and DataFrame, by the component's return types."""
    client = make_client(langflow_version=version)
    components = catalog(client, {"x-api-key": new_api_key(client)})
    assert [(o["name"], o["display_name"], o["types"], o["selected"]) for o in components["Memory"]["outputs"]] == [
        ("messages_text", "Message", ["Message"], "Message"), ("dataframe", "Dataframe", ["DataFrame"], "DataFrame")]
    assert components["Memory"]["base_classes"] == ["DataFrame", "Message"]
    [output] = components["Webhook"]["outputs"]
    assert (output["display_name"], output["types"], components["Webhook"]["base_classes"]) == (
        "Data", ["Data"], ["Data"])


def test_message_history_has_langflows_fields_and_outputs(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    _, _, components = mock
    memory = components["Memory"]
    assert memory["field_order"] == ["mode", "message", "memory", "sender_type", "sender", "sender_name",
                                     "n_messages", "session_id", "context_id", "order", "template"]
    assert [(o["name"], o["display_name"], o["types"]) for o in memory["outputs"]] == [
        ("messages_text", "Messages", ["Message"]), ("dataframe", "Table", ["Table"])]
    fields = memory["template"]
    assert (fields["mode"]["options"], fields["mode"]["value"]) == (["Retrieve", "Store"], "Retrieve")
    assert (fields["order"]["options"], fields["order"]["required"]) == (["Ascending", "Descending"], True)
    assert fields["sender_type"]["value"] == "Machine and User"
    assert (fields["template"]["value"], fields["template"]["show"]) == ("{sender_name}: {text}", False)
    assert not fields["sender_name"]["show"] and not fields["message"]["show"]


def history_flow(client: TestClient, headers: dict[str, str], components: dict[str, dict[str, Any]],
                 memory: dict[str, Any], version_turns: tuple[str, ...] = ("q1", "q2", "q3")) -> str:
    """A flow that chatted three turns in session "s" (Chat Input -> Chat Output, each message kept), then became a
    Message History -> Chat Output flow; its id."""
    chat, out = node(components, "ChatInput", "ChatInput-jjjj1"), node(components, "ChatOutput", "ChatOutput-jjjj2")
    echo = {"nodes": [chat, out], "edges": [edge(chat, "message", out, "input_value")]}
    flow_id = create_flow(client, headers, {"name": "history", "data": echo})["id"]
    for turn in version_turns:
        assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": turn, "session_id": "s"},
                           headers=headers).status_code == 200
    shown = node(components, "ChatOutput", "ChatOutput-jjjj3")
    reading = {"nodes": [memory, shown], "edges": [edge(memory, "messages_text", shown, "input_value")]}
    assert client.patch(f"/api/v1/flows/{flow_id}", json={"data": reading}, headers=headers).status_code == 200
    return flow_id


@pytest.mark.parametrize(("values", "shown", "expected"), [
    ({}, (), "User: q1\nAI: q1\nUser: q2\nAI: q2\nUser: q3\nAI: q3"),
    ({"n_messages": 3}, (), "AI: q2\nUser: q3\nAI: q3"),
    ({"order": "Descending", "n_messages": 3}, (), "AI: q3\nUser: q3\nAI: q2"),
    ({"sender_type": "User"}, (), "User: q1\nUser: q2\nUser: q3"),
    ({"sender_type": "Machine", "order": "Descending", "n_messages": 2}, (), "AI: q3\nAI: q2"),
    ({"sender_name": "AI", "template": "{text}!"}, (), "User: q1\nAI: q1\nUser: q2\nAI: q2\nUser: q3\nAI: q3"),
    ({"sender_name": "AI"}, ("sender_name",), "AI: q1\nAI: q2\nAI: q3"),
    ({"template": "{sender} said {text} [{missing}] {session_id}"}, ("template",),
     "User said q1 [] s\nMachine said q1 [] s\nUser said q2 [] s\nMachine said q2 [] s\nUser said q3 [] s\n"
     "Machine said q3 [] s"),
    ({"template": "{data[text]}|{category}|{error}"}, ("template",),
     "q1|message|False\nq1|message|False\nq2|message|False\nq2|message|False\nq3|message|False\nq3|message|False"),
])
def test_message_history_reads_as_lfxs(mock: tuple[TestClient, dict[str, str], dict[str, Any]],
                                       values: dict[str, Any], shown: tuple[str, ...], expected: str) -> None:
    """Each case as a live 1.13.0 answered it: sender type and name filter, n_messages are the newest in the
    order asked; a hidden field (sender name, template, unless the editor showed them) keeps its default."""
    client, headers, components = mock
    memory = node(components, "Memory", "Memory-kkkk1", **values)
    for name in shown:
        memory["data"]["node"]["template"][name]["show"] = True
    flow_id = history_flow(client, headers, components, memory)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "now", "session_id": "s"}, headers=headers)
    assert answer(response) == expected


def test_message_history_lists_its_table_output_and_shows_the_message_it_made(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """As a live 1.13.0 builds it: the output no edge takes listed with nothing to show, and the artifact's repr
    the JSON dump of the Message the component returned (no sender, no session, the flow's id)."""
    client, headers, components = mock
    flow_id = history_flow(client, headers, components, node(components, "Memory", "Memory-kkkk3", n_messages=1))
    response = client.post(f"/api/v1/build/{flow_id}/flow", params={"event_delivery": "direct"},
                           json={"inputs": {"input_value": "now", "session": "s"}}, headers=headers)
    events = [json.loads(part) for part in response.text.split("\n\n") if part.strip()]
    built = next(e["data"]["build_data"]["data"] for e in events
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == "Memory-kkkk3")
    assert built["outputs"] == {"messages_text": {"message": "AI: q3", "type": "text"},
                                "dataframe": {"message": "", "type": "unknown"}}
    artifact = built["artifacts"]["messages_text"]
    made = json.loads(artifact["repr"])
    assert (artifact["raw"], artifact["type"]) == ("AI: q3", "text")
    assert (made["text"], made["sender"], made["session_id"], made["flow_id"]) == ("AI: q3", None, "", flow_id)
    assert list(made)[:4] == ["text", "files", "sender", "sender_name"]


@pytest.mark.parametrize("template", ["", None])
def test_an_empty_prompt_template_fails_it(mock: tuple[TestClient, dict[str, str], dict[str, Any]],
                                           template: str | None) -> None:
    """lfx leaves an empty prompt field out of the component's parameters, and formatting its None fails."""
    client, headers, components = mock
    prompt = node(components, "Prompt Template", "Prompt Template-kkkk4", template=template)
    out = node(components, "ChatOutput", "ChatOutput-kkkk5")
    response = run(client, headers, [prompt, out], [edge(prompt, "prompt", out, "input_value")])
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "Error running graph: Error building Component Prompt Template: \n\n"
        'Error running method "build_prompt": expected str, got NoneType')


def test_a_chat_output_no_edge_feeds_fails(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """Its input is a handle field: lfx's parameters skip the value a node or tweak gives it, so only an edge fills
    it, and without one the component gets None."""
    client, headers, components = mock
    out = node(components, "ChatOutput", "ChatOutput-kkkk6", input_value="set on the node")
    response = run(client, headers, [out], [])
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "Error running graph: Error building Component Chat Output: \n\nInput data cannot be None")


def test_a_bad_message_history_template_fails_it(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    memory = node(components, "Memory", "Memory-kkkk2", template="{text")
    memory["data"]["node"]["template"]["template"]["show"] = True
    flow_id = history_flow(client, headers, components, memory)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "now", "session_id": "s"}, headers=headers)
    assert response.status_code == 500
    assert json.loads(response.json()["detail"])["message"] == (
        "Error running graph: Error building Component Message History: \n\n"
        "Error formatting template: expected '}' before end of string")


@pytest.mark.parametrize("version", ["1.8", "1.7.1"])
def test_before_1_13_descending_keeps_the_oldest(make_client: Callable[..., TestClient], version: str) -> None:
    """lfx 0.2 and 0.3 list the messages in the order asked and keep the last n_messages: descending, the oldest."""
    client = make_client(langflow_version=version)
    headers = {"x-api-key": new_api_key(client)}
    components = catalog(client, headers)
    memory = node(components, "Memory", "Memory-kkkk3", order="Descending", n_messages=3)
    flow_id = history_flow(client, headers, components, memory)
    response = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "now", "session_id": "s"}, headers=headers)
    assert answer(response) == "User: q2\nAI: q1\nUser: q1"


def stored_rows(client: TestClient, headers: dict[str, str], flow_id: str) -> list[tuple[str, str, str]]:
    listed = client.get("/api/v1/monitor/messages", params={"flow_id": flow_id}, headers=headers).json()
    return [(m["sender"], m["sender_name"], m["text"]) for m in listed]


def store_node(components: dict[str, dict[str, Any]], node_id: str, **values: Any) -> dict[str, Any]:
    """A Message History the editor switched to Store: its one output stored_messages, its store fields shown."""
    memory = node(components, "Memory", node_id, mode="Store", **values)
    output = dict(memory["data"]["node"]["outputs"][0], name="stored_messages", method="store_message",
                  display_name="Stored Messages")
    memory["data"]["node"]["outputs"] = [output]
    for name in ("message", "sender", "sender_name"):
        memory["data"]["node"]["template"][name]["show"] = True
    return memory


def test_a_chat_output_takes_over_a_stored_message_it_is_handed(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """Langflow's Chat Output updates a stored Message it gets (not from a Chat Input next to it) under its id: a
    Chat Input's message handed on by a Pass becomes the machine's answer, and the message a Message History
    stored is the one the Chat Output keeps, so each run leaves one message where a new one was added before."""
    client, headers, components = mock
    chat, passing = node(components, "ChatInput", "ChatInput-llll1"), node(components, "Pass", "Pass-llll2")
    out = node(components, "ChatOutput", "ChatOutput-llll3")
    passed = create_flow(client, headers, {"name": "passed", "data": {"nodes": [chat, passing, out], "edges": [
        edge(chat, "message", passing, "input_message"), edge(passing, "output_message", out, "input_value")]}})["id"]
    stored = store_node(components, "Memory-llll4", message="typed note", sender="User", sender_name="Ann")
    shown = node(components, "ChatOutput", "ChatOutput-llll5")
    storing = create_flow(client, headers, {"name": "storing", "data": {"nodes": [stored, shown], "edges": [
        edge(stored, "stored_messages", shown, "input_value")]}})["id"]
    for flow_id in (passed, storing):
        assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hello", "session_id": "s"},
                           headers=headers).status_code == 200
    assert stored_rows(client, headers, passed) == [("Machine", "AI", "hello")]
    assert stored_rows(client, headers, storing) == [("Machine", "AI", "typed note")]


def test_a_runs_results_show_the_message_a_chat_output_took_over(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    """Langflow makes a run's results at its end, after the Chat Output set its fields on the Message it got: the
    Chat Input behind a Pass and a Text Input show the machine's message in `results`, and as they made it in
    their `messages` and artifacts (a live 1.13.0's debug output, compared whole)."""
    client, headers, components = mock
    chat, passing = node(components, "ChatInput", "ChatInput-nnnn1"), node(components, "Pass", "Pass-nnnn2")
    out = node(components, "ChatOutput", "ChatOutput-nnnn3")
    text, shown = node(components, "TextInput", "TextInput-nnnn4", input_value="typed"), node(
        components, "ChatOutput", "ChatOutput-nnnn5")
    passed = run(client, headers, [chat, passing, out], [
        edge(chat, "message", passing, "input_message"), edge(passing, "output_message", out, "input_value")],
        output_type="debug").json()["outputs"][0]["outputs"]
    typed = run(client, headers, [text, shown], [edge(text, "text", shown, "input_value")],
                output_type="debug").json()["outputs"][0]["outputs"]
    chat_input, text_input = passed[0], typed[0]
    message = chat_input["results"]["message"]
    assert (message["sender"], message["sender_name"], message["properties"]["source"]["id"]) == (
        "Machine", "AI", "Pass-nnnn2")
    assert message["data"]["properties"]["source"]["id"] is None  # the stored properties, as read back
    assert (chat_input["messages"][0]["sender"], chat_input["artifacts"]["sender"]) == ("User", "User")
    made = text_input["results"]["text"]
    assert (made["sender"], made["session_id"], made["data"]["sender"]) == ("Machine", "s", "Machine")
    assert "id" not in made["data"] and list(made["data"])[:2] == ["text", "files"]
    assert json.loads(text_input["artifacts"]["text"]["repr"])["sender"] is None


def test_a_message_history_stores_its_message(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    chat, stored = node(components, "ChatInput", "ChatInput-mmmm1"), store_node(components, "Memory-mmmm2")
    alone = store_node(components, "Memory-mmmm3", message="alone")
    connected = create_flow(client, headers, {"name": "c", "data": {"nodes": [chat, stored], "edges": [
        edge(chat, "message", stored, "message")]}})["id"]
    typed = create_flow(client, headers, {"name": "t", "data": {"nodes": [alone], "edges": []}})["id"]
    for flow_id in (connected, typed):
        assert client.post(f"/api/v1/run/{flow_id}", json={"input_value": "hi", "session_id": "s"},
                           headers=headers).status_code == 200
    # the Chat Input's message, then its text stored as the machine's (the field takes a text, not the Message)
    assert stored_rows(client, headers, connected) == [("User", "User", "hi"), ("Machine", "AI", "hi")]
    assert stored_rows(client, headers, typed) == [("Machine", "AI", "alone")]


def read_files(client: TestClient, headers: dict[str, str], components: dict[str, dict[str, Any]],
               names: list[str], **values: Any) -> Any:
    """A /run of Read File (its `path` the files uploaded under `names`, the values given) -> Chat Output."""
    paths = [client.post("/api/v2/files", files={"file": (name, f"text of {name}".encode())},
                         headers=headers).json()["path"] for name in names]
    reader = node(components, "File", "File-llll1", **values)
    reader["data"]["node"]["template"]["path"].update(value=names, file_path=paths)
    out = node(components, "ChatOutput", "ChatOutput-llll2")
    return run(client, headers, [reader, out], [edge(reader, "message", out, "input_value")])


def test_read_file_joins_its_files_with_its_separator(mock: tuple[TestClient, dict[str, str], dict[str, Any]]) -> None:
    client, headers, components = mock
    assert answer(read_files(client, headers, components, ["a.txt", "b.MD"], separator=" ; ")) == (
        "text of a.txt ; text of b.MD")
    assert answer(read_files(client, headers, components, ["a.txt", "b.md"], separator="")) == (
        "text of a.txt\n\ntext of b.md")  # an empty separator is the default


@pytest.mark.parametrize(("values", "outcome"), [
    ({}, "text of a.txt"),  # passed over, as ignore_unsupported_extensions is on by default
    ({"ignore_unsupported_extensions": False}, "Unsupported file extension: .xyz"),
    ({"ignore_unsupported_extensions": False, "silent_errors": True}, "text of a.txt"),
])
def test_read_file_passes_over_or_refuses_a_file_it_does_not_read(
        mock: tuple[TestClient, dict[str, str], dict[str, Any]], values: dict[str, Any], outcome: str) -> None:
    """As a live 1.13.0 reads a file whose extension is none of its VALID_EXTENSIONS; with no file left, "No files
    to process."."""
    client, headers, components = mock
    response = read_files(client, headers, components, ["a.txt", "x.xyz"], **values)
    if outcome.startswith("text"):
        assert answer(response) == outcome
    else:
        assert response.status_code == 500
        assert json.loads(response.json()["detail"])["message"].endswith(f"Read File: \n\n{outcome}")
    alone = read_files(client, headers, components, ["y.xyz"])
    assert json.loads(alone.json()["detail"])["message"].endswith("No files to process.")
