"""Read File parses what it reads by the file's type, as live Langflow 1.13.0 and 1.8.4 servers did
(tests/data/read_file/live.json, made by scripts/record-live): a YAML file's document written as Python writes it
(a mapping as a dict's repr, a date as datetime.date(...)), an XML file's root written out again by ElementTree, a
JSON file re-serialised; a file whose value is empty (an empty text file, a YAML 0 or []) shows as its Data's
fields, a YAML null as Data's own JSON; a file that does not parse fails the component (1.8: the RuntimeError of
its logging outside the component), or with Silent Errors is passed over, none left giving "{}"; an XML file that
does not parse ends a 1.13 build with the TypeError its logging raises."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.live_flows import seen
from tests.api.test_catalog_components import catalog, edge, node
from tests.api.test_if_else import RELEASES, Http
from tests.conftest import build_job_events, create_flow, new_api_key

LIVE = Path(__file__).resolve().parent.parent / "data" / "read_file" / "live.json"
READER, OUT = "File-fffff", "ChatOutput-ooooo"
# a file's server path up to the user's folder: each server's own storage directory
STORAGE = re.compile(r"/[^\"\s\\]*?/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/")
PERSON = b"name: Ada\nage: 36\nlangs:\n  - en\n  - fr\n"


def pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages each show their lines of text (Helvetica, 12 pt), written by hand: objects, then the
    cross-reference table a reader finds them by."""
    bodies: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    parent = 2 + 2 * len(pages)  # (the object number the page tree gets: after the font and each page's two)
    kids = []
    for lines in pages:
        shown = b" ".join(b"(" + line.encode("ascii").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*"
                          for line in lines)
        stream = b"BT /F1 12 Tf 72 720 Td 14 TL " + shown + b" ET"
        bodies.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        bodies.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                      b"/Resources << /Font << /F1 1 0 R >> >> >>" % (parent, len(bodies)))
        kids.append(b"%d 0 R" % len(bodies))
    bodies.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids)))
    bodies.append(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    written, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(written))
        written += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    count = len(bodies) + 1  # (with object 0, the free list's head)
    trailer = b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, len(bodies), len(written))
    return written + b"xref\n0 %d\n0000000000 65535 f \n" % count + table + trailer


PNG = (Path(__file__).resolve().parent.parent / "data" / "pix.png").read_bytes()
LETTER = pdf([["Hello PDF", "Second line (x)"]])
WORD_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
              'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
              'main+xml"/></Types>')
WORD_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def zipped(parts: dict[str, str], *, deflated: bool = False) -> bytes:
    """A zip archive of the parts (stored, or `deflated`), each stamped with the same date, so the same parts make
    the same bytes."""
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w") as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text,
                             compress_type=zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED)
    return written.getvalue()


def word(body: str, *, deflated: bool = False) -> bytes:
    """A Word document whose body is `body` (WordprocessingML paragraphs and tables, the w: prefix bound)."""
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return zipped({"[Content_Types].xml": WORD_TYPES, "_rels/.rels": WORD_RELS, "word/document.xml": document},
                  deflated=deflated)


# paragraphs of runs, a tab, a line break, an empty paragraph, a table's cell (not read), non-ASCII text
MEMO = word('<w:p><w:r><w:t>Hello DOCX</w:t></w:r></w:p>'
            '<w:p><w:r><w:t xml:space="preserve">Tabs</w:t><w:tab/><w:t xml:space="preserve">and </w:t></w:r>'
            '<w:r><w:rPr><w:b/></w:rPr><w:t>runs</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>after break</w:t></w:r></w:p>'
            '<w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>in table</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
            '<w:p><w:r><w:t>caf\u00e9 \u00fcn\u00ef</w:t></w:r></w:p>')
# case -> (the files read, in order, as (name, bytes); Silent Errors)
CASES: dict[str, tuple[list[tuple[str, bytes]], bool]] = {
    "yaml_mapping": ([("person.yaml", PERSON)], False),
    "yml_list": ([("list.yml", b"- one\n- two\n")], False),
    "yaml_scalar_text": ([("text.yaml", b"just text\n")], False),
    "yaml_number": ([("number.yaml", b"42\n")], False),
    "yaml_true": ([("true.yaml", b"true\n")], False),
    "yaml_types": ([("types.yaml", b"d: 2024-01-02\nt: 2024-01-02 03:04:05\nf: .inf\nn: ~\nb: true\n")], False),
    "yaml_anchors_unicode": ([("anchors.yaml", "caf\u00e9: [\u00fc, {a: &x 1, b: *x}]\n".encode())], False),
    "yaml_empty": ([("empty.yaml", b"")], False),
    "yaml_zero": ([("zero.yaml", b"0\n")], False),
    "yaml_empty_text": ([("quoted.yaml", b"''\n")], False),
    "yaml_empty_list": ([("nothing.yaml", b"[]\n")], False),
    "yaml_unclosed": ([("unclosed.yaml", b"a: [1, 2\n")], False),
    "yaml_two_documents": ([("two.yaml", b"a: 1\n---\nb: 2\n")], False),
    "yaml_python_tag": ([("tag.yaml", b"!!python/object/apply:os.system ['true']\n")], False),
    "xml": ([("doc.xml", b"<?xml version=\"1.0\"?>\n<!-- c -->\n<root a='1'><b/><c>t &amp; u</c></root>\n")], False),
    "xml_namespaces": ([("ns.xml", b'<r xmlns="urn:x"><x:i xmlns:x="urn:y">1</x:i></r>')], False),
    "xml_entity_declared": ([("entity.xml", b'<!DOCTYPE r [<!ENTITY e "v">]><r>&e;</r>')], False),
    "xml_mismatched": ([("broken.xml", b"<root><b>unclosed</root>")], False),
    "xml_mismatched_silent": ([("broken.xml", b"<root><b>unclosed</root>")], True),
    "pdf": ([("letter.pdf", LETTER)], False),
    "pdf_two_pages": ([("pages.pdf", pdf([["Page one"], ["Page two", "the end"]]))], False),
    "pdf_blank_page": ([("blank.pdf", pdf([[]]))], False),
    "pdf_not_a_pdf": ([("fake.pdf", b"not a pdf")], False),
    "pdf_upper_case_extension": ([("LETTER.PDF", LETTER)], False),
    "docx": ([("memo.docx", MEMO)], False),
    "docx_not_a_zip": ([("fake.docx", b"not a docx")], False),
    "docx_zip_not_word": ([("archive.docx", zipped({"hello.txt": "hi"}))], False),
    "image": ([("pix.png", PNG)], False),
    "image_not_an_image": ([("fake.png", b"not an image at all")], False),
    "image_of_another_type": ([("pix.jpg", PNG)], False),
    "image_of_another_type_silent": ([("pix.jpg", PNG)], True),
    "spreadsheet": ([("sheet.xlsx", b"PK not really")], False),
    "text_then_image": ([("ends.txt", b"a\n"), ("pix.png", PNG)], False),
    "csv_table": ([("scores.csv", b"name,score\nAnn,1.5\nBob,\n\"C, D\",2\n")], False),
    "csv_not_utf8_table": ([("latin.csv", "name\ncaf\u00e9\n".encode("latin-1"))], False),
    "csv_path": ([("scores.csv", b"name,score\nAnn,1.5\n")], False),
    "json_object": ([("object.json", b'{"a": 1, "b": [1, 2], "c": null}')], False),
    "json_list_object": ([("list.json", b'[{"a": 1}, 2]')], False),
    "text_empty": ([("empty.txt", b"")], False),
    "text_line_ends": ([("ends.txt", b"a\r\nb\rc\n")], False),
    "json_spaced": ([("spaced.json", b'{"a": "x",  "b": [1, 2]}')], False),
    "json_broken": ([("broken.json", b"{not json")], False),
    "json_broken_silent": ([("broken.json", b"{not json")], True),
    "three_types": ([("person.yaml", PERSON), ("empty.txt", b""), ("spaced.json", b'{"a": "x"}')], False),
    "null_and_xml": ([("empty.yaml", b""), ("doc.xml", b"<r><b/></r>")], False),
    "broken_then_good": ([("broken.json", b"{not json"), ("person.yaml", PERSON)], False),
    "broken_then_good_silent": ([("broken.json", b"{not json"), ("person.yaml", PERSON)], True),
    "same_file_twice": ([("person.yaml", PERSON), ("person.yaml", PERSON)], False),
}


# case -> the output taken, of those Langflow's editor gives Read File for its one file (lfx's update_outputs: a
# CSV's or a JSON file's Structured Content, the Raw Content, the File Path); by default the Raw Content
TAKEN = {"csv_table": "dataframe", "csv_not_utf8_table": "dataframe", "csv_path": "path", "json_object": "json",
         "json_list_object": "json"}
STRUCTURED = {"1.13.0": ("Table", "JSON"), "1.8.4": ("DataFrame", "Data")}


def editor_outputs(components: dict[str, Any], name: str, release: str) -> list[dict[str, Any]]:
    """The outputs Langflow's editor lists for a Read File given this one file, as its update_outputs sets them."""
    table, data = STRUCTURED[release]
    listed = ([("dataframe", "Structured Content", "load_files_structured", table)] if name.endswith(".csv") else
              [("json", "Structured Content", "load_files_json", data)] if name.endswith(".json") else [])
    return file_outputs(components, [*listed, ("message", "Raw Content", "load_files_message", "Message"),
                                     ("path", "File Path", "load_files_path", "Message")])


def file_outputs(components: dict[str, Any], listed: list[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    """Read File outputs (name, display name, method, type) in the shape of its catalog's own."""
    first = components["File"]["outputs"][0]
    return [{**first, "name": name, "display_name": shown, "method": method, "types": [kind], "selected": kind}
            for name, shown, method, kind in listed]


def reader_flow(client: Http, headers: dict[str, str], components: dict[str, Any], files: list[tuple[str, bytes]],
                *, silent: bool = False, outputs: list[dict[str, Any]] | None = None,
                take: str = "message") -> dict[str, Any]:
    """The files uploaded (a name listed twice uploaded once), and a flow's data: Read File (their paths; its
    `outputs` as the editor lists them, where given) -> Chat Output, from its `take` output."""
    names, paths = [name for name, _ in files], []
    for position, (name, data) in enumerate(files):
        if name in names[:position]:
            paths.append(paths[names.index(name)])
            continue
        uploaded = client.post("/api/v2/files", files={"file": (name, data, "application/octet-stream")},
                               headers=headers)
        assert uploaded.status_code == 201, uploaded.text
        paths.append(uploaded.json()["path"])
    reader = node(components, "File", READER, silent_errors=silent)
    reader["data"]["node"]["template"]["path"].update(value=names, file_path=paths)
    if outputs is not None:
        reader["data"]["node"]["outputs"] = outputs
    out = node(components, "ChatOutput", OUT)
    return {"nodes": [reader, out], "edges": [edge(reader, take, out, "input_value")]}


def exchange(client: Http, headers: dict[str, str], components: dict[str, Any], release: str,
             case: str) -> dict[str, Any]:
    """The case's files uploaded (named after it), Read File (their paths) -> Chat Output built and run: what
    live_flows.summary() keeps, each server path's storage directory written <storage>/."""
    files, silent = CASES[case]
    named = [(f"{case}-{name}", data) for name, data in files]
    outputs = editor_outputs(components, named[0][0], release) if case in TAKEN else None
    data = reader_flow(client, headers, components, named, silent=silent, outputs=outputs,
                       take=TAKEN.get(case, "message"))
    return unstored(seen(client, headers, f"read file {case}", data, "x", READER, build=True))


def unstored(got: dict[str, Any]) -> dict[str, Any]:
    """A summary with each server path's storage directory written <storage>/ (each server has its own)."""
    return json.loads(STORAGE.sub("<storage>/", json.dumps(got, ensure_ascii=False)))


def record(client: Http, headers: dict[str, str], components: dict[str, Any], release: str) -> dict[str, Any]:
    """Every case, as exchange() keeps it (scripts/record-live): the user's files deleted first, so that each
    upload keeps its name (Langflow names a second one "<name> (1)")."""
    assert client.delete("/api/v2/files", headers=headers).status_code == 200
    return {case: exchange(client, headers, components, release, case) for case in CASES}


@pytest.mark.parametrize(("release", "case"), [(r, c) for r in RELEASES for c in CASES])
def test_the_mock_reads_and_parses_as_the_live_server_did(make_client: Callable[..., TestClient],
                                                          live: dict[str, dict[str, Any]], release: str,
                                                          case: str) -> None:
    client = make_client(langflow_version=RELEASES[release], job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    assert exchange(client, headers, catalog(client, headers), release, case) == live[release][case]


def test_an_xml_file_that_does_not_parse_fails_a_v2_run_with_the_type_error_itself(
        make_client: Callable[..., TestClient]) -> None:
    """1.13's v2 sync run of the flow whose XML file does not parse: the TypeError its logging raised, as it is
    (not wrapped in "Error running graph: ", its class the error's type), as a live 1.13.0 answered."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    data = reader_flow(client, headers, catalog(client, headers), [("broken.xml", b"<a><b></a>")])
    flow_id = create_flow(client, headers, {"name": "broken xml", "data": data})["id"]
    answer = client.post("/api/v2/workflows", json={"flow_id": flow_id, "input_value": "x"}, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    why = "str or Text instance required, not ExpatError('mismatched tag: line 1, column 8')"
    assert (body["status"], body["has_errors"]) == ("failed", True)
    assert body["errors"] == [{"error": why, "code": "EXECUTION_ERROR",
                               "details": {"flow_id": flow_id, "error_type": "TypeError"}}]


def test_a_yaml_file_of_nested_aliases_is_refused_not_written_out(make_client: Callable[..., TestClient]) -> None:
    """Ten lines of aliases, each naming the one before ten times, stand for ten billion items: the mock refuses
    to write them out (README, deliberate differences) and fails the component as a file that does not parse."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    names = "abcdefghij"
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{name}: &{name} [{', '.join(['*' + names[n]] * 10)}]" for n, name in enumerate(names[1:])]
    data = reader_flow(client, headers, catalog(client, headers), [("laughs.yaml", "\n".join(lines).encode())])
    flow_id = create_flow(client, headers, {"name": "laughs", "data": data})["id"]
    run = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "x"}, headers=headers)
    assert run.status_code == 500
    message = json.loads(run.json()["detail"])["message"]
    assert message.startswith("Error running graph: Error building Component Read File: \n\nError loading file /")
    assert message.endswith("laughs.yaml: mock-langflow refuses a YAML document that writes out to over 50,000,000 "
                            "items or characters (its aliases repeat what they name; Langflow would write it all out)")
    assert client.get("/api/v1/version").status_code == 200


def test_a_failed_runs_detail_keeps_the_file_names_non_ascii_letters(make_client: Callable[..., TestClient]) -> None:
    """The 500's detail is the error's JSON as Langflow's pydantic writes it: "bé.json" as written, not escaped
    (a live 1.13.0 answered so), in /run's answer and in its stream's error event."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    data = reader_flow(client, headers, catalog(client, headers), [("b\u00e9.json", b"{bad")])
    flow_id = create_flow(client, headers, {"name": "accent", "data": data})["id"]
    run = client.post(f"/api/v1/run/{flow_id}", json={"input_value": "x"}, headers=headers)
    assert run.status_code == 500
    assert "b\u00e9.json: " in json.loads(run.json()["detail"])["message"]
    assert '"detail":"{\\"message\\":\\"Error running graph: ' in run.text and "\\\\u00e9" not in run.text
    streamed = client.post(f"/api/v1/run/{flow_id}?stream=true", json={"input_value": "x"}, headers=headers)
    events = [json.loads(line) for line in streamed.text.split("\n\n") if line.strip()]
    error = next(e["data"]["error"] for e in events if e["event"] == "error" and isinstance(e["data"]["error"], str))
    assert error.startswith('500: {"message":"Error running graph: ') and "b\u00e9.json: " in error


def test_several_files_files_output_is_a_row_of_each_files_data(make_client: Callable[..., TestClient]) -> None:
    """The editor gives a Read File of several files a Files output (load_files): a table with a row of each file's
    Data, its parsed value as `text` (a YAML mapping stays one), as a live 1.13.0 built it."""
    client = make_client(job_latency_ms=0)
    headers = {"x-api-key": new_api_key(client)}
    files = [("scores.csv", b"name,score\nAnn,1.5\n"), ("keys.yaml", b"k: [1, 2]\n")]
    components = catalog(client, headers)
    outputs = file_outputs(components, [("dataframe", "Files", "load_files", "Table"),
                                        ("message", "Raw Content", "load_files_message", "Message")])
    data = reader_flow(client, headers, components, files, outputs=outputs, take="dataframe")
    flow_id = create_flow(client, headers, {"name": "files", "data": data})["id"]
    events = build_job_events(client, headers, flow_id)
    built = next(e["data"]["build_data"]["data"] for e in events
                 if e["event"] == "end_vertex" and e["data"]["build_data"]["id"] == READER)
    rows = built["outputs"]["dataframe"]["message"]
    assert [(row["file_path"].rsplit("/", 1)[1], row["text"], row["encoding"]) for row in rows] == [
        ("scores.csv", "name,score\nAnn,1.5\n", "ascii"), ("keys.yaml", {"k": [1, 2]}, "ascii")]
    assert built["outputs"]["message"] == {"message": "", "type": "unknown"}  # (not taken: not built)
    assert built["logs"]["dataframe"][0]["message"] == "Starting parallel processing of 2 files with concurrency: 1."
