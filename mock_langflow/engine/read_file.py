"""How Read File (lfx's FileComponent, standard parsing) reads a text file and reports it: the text as 1.13's
encoding detection decodes it, the structure a JSON, YAML or XML file's text is parsed into and the text that makes
in its Message, its log entries, and the Message it returns with the file's metadata."""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from datetime import datetime
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any

import orjson

from mock_langflow.engine.message import made_message, properties_model

# lfx's EXTENSION_TO_CONTENT_TYPE: the mimetype its file metadata gives an extension (others: octet-stream)
CONTENT_TYPES = {
    "json": "application/json", "txt": "text/plain", "csv": "text/csv", "html": "text/html", "pdf": "application/pdf",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml",
    "mp3": "audio/mpeg", "wav": "audio/wav", "mp4": "video/mp4", "webm": "video/webm", "zip": "application/zip",
    "tar": "application/x-tar", "gz": "application/gzip", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xml": "application/xml", "yaml": "application/x-yaml", "yml": "application/x-yaml"}
STARTED = "Starting parallel processing of {count} files with concurrency: {concurrency}."
READ = ("Read {name} with text encoding '{encoding}' ({selection}). If text looks incorrect, set Text Encoding to the "
        "file's encoding.")
GB18030_PAIRS = re.compile(rb"[\x81-\xfe][0-9][\x81-\xfe][0-9]")
SAMPLE = 102400  # the bytes chardet is shown


def decoded(data: bytes, path: str, explicit: str | None = None, *, detect: bool = True) -> tuple[str, str | None]:
    """The file's text and the encoding reported for it (None for a PDF or a Word file, which are parsed): a PDF's
    pages as pypdf extracts them, joined by two newlines (lfx's parse_pdf_to_text), a Word file's paragraphs
    (docx_text). Any other file is decoded as lfx 1.13 detects it (_detected; an explicit Text Encoding used as
    given) or, `detect` off (before 1.13), as UTF-8 (what is not replaced, no encoding reported), its line ends
    made \\n (the reader's universal newlines). lfx tells the types apart by the server path's ending, case and
    all: X.PDF is read as text."""
    if path.endswith(".pdf"):
        return pdf_text(data), None
    if path.endswith(".docx"):
        return docx_text(data, path), None
    if not detect:
        return newlines(data.decode("utf-8", "replace")), None
    if explicit:
        text, encoding = data.decode(explicit), codecs.lookup(explicit).name
    else:
        text, encoding = _detected(data)
    return newlines(text), encoding


def parsed(data: bytes, path: str, explicit: str | None = None, *, detect: bool = True) -> tuple[str | None, Any]:
    """A file read as lfx's parse_text_file_to_data reads it: the encoding reported for it (decoded) and what its
    text parses into (structured). Both raise what lfx's loader catches."""
    text, encoding = decoded(data, path, explicit, detect=detect)
    return encoding, structured(text, path)


class _NamedStream(BytesIO):
    """A file's bytes that python-docx names by the file's server path, as it names the path lfx hands it."""

    def __init__(self, data: bytes, path: str) -> None:
        super().__init__(data)
        self.path = path

    def __str__(self) -> str:
        return self.path


def docx_text(data: bytes, path: str) -> str:
    """A Word file's text as lfx's read_docx_file makes it: python-docx's text of each paragraph of the document's
    body (not those in tables), joined by two newlines. A file that is no zip archive fails as python-docx fails
    for a path ("Package not found at '<path>'"), a zip that is no Word document with its error."""
    from zipfile import is_zipfile

    import docx  # (python-docx, not imported at start-up: a Word file alone needs it)

    stream = _NamedStream(data, path)
    if not is_zipfile(stream):
        raise ValueError(f"Package not found at '{path}'")
    stream.seek(0)
    return "\n\n".join(paragraph.text for paragraph in docx.Document(stream).paragraphs)


def pdf_text(data: bytes) -> str:
    """What pypdf (the release Langflow 1.13.0 runs) extracts from a PDF's pages, joined by two newlines; a file it
    cannot read raises pypdf's error ("Stream has ended unexpectedly")."""
    from pypdf import PdfReader  # (not imported at start-up: a PDF alone needs it)

    with BytesIO(data) as stream, PdfReader(stream) as reader:
        return "\n\n".join([page.extract_text() for page in reader.pages])


def newlines(text: str) -> str:
    """Line ends as a text-mode read gives them (universal newlines): \\r\\n and \\r become \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def structured(text: str, path: str) -> Any:
    """What lfx's parse_structured_text makes of a file's text, by its server path's ending (every release): a
    JSON file re-serialised compactly, its top-level strings NFKD-normalised (orjson); a YAML file's one document
    (PyYAML's safe_load: a mapping, a list, a number, a date, None...); an XML file's root element written out
    again (defusedxml's parser, which refuses entity declarations; ElementTree's writer: no declaration, no
    comments, namespaces as ns0:, attributes double-quoted); any other file its text. A file that does not parse
    raises the parser's error."""
    if path.endswith(".json"):
        loaded = orjson.loads(text)
        if isinstance(loaded, dict):
            loaded = {k: unicodedata.normalize("NFKD", v) if isinstance(v, str) else v for k, v in loaded.items()}
        elif isinstance(loaded, list):
            loaded = [unicodedata.normalize("NFKD", v) if isinstance(v, str) else v for v in loaded]
        return orjson.dumps(loaded).decode("utf-8")
    if path.endswith((".yaml", ".yml")):
        import yaml

        document = yaml.safe_load(text)
        if _expanded_size(document) > LARGEST_DOCUMENT:
            raise ValueError(TOO_LARGE)
        return document
    if path.endswith(".xml"):
        from defusedxml import ElementTree  # (not imported at start-up: an XML file alone needs it)

        return ElementTree.tostring(ElementTree.fromstring(text), encoding="unicode")
    return text


# A YAML document whose aliases make it larger than this once written out is refused (README, deliberate
# differences): a few lines of nested aliases stand for billions of items, which Langflow would write out.
LARGEST_DOCUMENT = 50_000_000
TOO_LARGE = (f"mock-langflow refuses a YAML document that writes out to over {LARGEST_DOCUMENT:,} items or "
             "characters (its aliases repeat what they name; Langflow would write it all out)")


def _expanded_size(document: Any) -> int:
    """About how long the document's text is once written out: each item (a mapping's key and value, a list's
    element) counted once for every place it appears, texts by their length, a structure that holds itself once
    (Python writes it [...]). Each distinct structure is sized once (an alias repeats its size), so counting is
    as quick as the document is short."""
    sizes: dict[int, int] = {}
    inside: set[int] = set()
    ready = [(document, False)]
    while ready:  # (depth first, without recursion: a deeply nested document is fine)
        value, done = ready.pop()
        if not isinstance(value, dict | list | tuple | set | frozenset):
            continue
        key = id(value)
        if done:
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else list(value)
            sizes[key] = 1 + sum(_leaf_size(item) if not isinstance(item, dict | list | tuple | set | frozenset)
                                 else sizes.get(id(item), 1) for item in items)
            inside.discard(key)
            continue
        if key in sizes or key in inside:
            continue
        inside.add(key)
        ready.append((value, True))
        children = [*value.keys(), *value.values()] if isinstance(value, dict) else list(value)
        ready += [(child, False) for child in children]
    return sizes.get(id(document), 1) if isinstance(document, dict | list | tuple | set | frozenset) \
        else _leaf_size(document)


def _leaf_size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes) else 1


def xml_parse_error(exc: BaseException) -> bool:
    """Whether a file failed as XML that does not parse (ElementTree's ParseError, a SyntaxError whose msg is
    expat's error object): 1.13's logging of the failure then raises a TypeError of its own (crash_text)."""
    from defusedxml.ElementTree import ParseError

    return isinstance(exc, ParseError)


def crash_text(exc: BaseException) -> str:
    """The TypeError 1.13 meets logging an XML file's ParseError, which escapes the vertex: rich's highlighter
    handed the error's msg, the expat error itself."""
    return f"str or Text instance required, not {exc.args[0]!r}" if exc.args else str(exc)


def as_mapping(text: Any) -> dict[str, Any]:
    """A JSON file's text as Read File's Structured Content makes it an object (lfx's parse_string_to_dict): JSON
    that is an object, else a Python literal that is a mapping, else {"value": text}. A value that is no text (a
    YAML document) raises orjson's TypeError."""
    import ast

    try:
        found = orjson.loads(text)
        if isinstance(found, dict):
            return found
    except orjson.JSONDecodeError:
        pass
    try:
        found = ast.literal_eval(text)
        if isinstance(found, dict):
            return found
    except (SyntaxError, ValueError):
        pass
    return {"value": text}


def part(value: Any, data: dict[str, Any]) -> str:
    """The text one file's Data gives the Message (lfx's _join_message_text and _extract_text): its parsed value
    when that is a non-empty text, str() of any other truthy value (a YAML mapping as Python writes it), the Data's
    fields as 4-space JSON when the value is None (Data.__str__), else (an empty text, 0, an empty list...) its
    fields as orjson's 2-space JSON. `data`: the Data's fields (file_path, text and, in 1.13, encoding)."""
    if value is None:
        return json.dumps(data, indent=4, default=str)
    if value and isinstance(value, str):
        return value
    if value:
        return str(value)
    return orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode()


def _detected(data: bytes) -> tuple[str, str]:
    """lfx's _detect_encoding_with_fallbacks: chardet's guess over the first 100 KB (a Windows-1252, -1254 or
    MacRoman guess tried after UTF-8, GB18030 first when its four-byte pairs show), then UTF-8, GB18030, cp1252
    and latin-1, the first that decodes."""
    if data.startswith(codecs.BOM_UTF8):  # (what chardet names every such file: no need to load it)
        return data.decode("utf-8-sig"), "utf-8-sig"
    import chardet  # (not imported at start-up: Read File alone needs it)

    guessed = chardet.detect(data[:SAMPLE]).get("encoding")
    if guessed in {"Windows-1252", "Windows-1254", "MacRoman"}:
        chain = ["utf-8", *(["gb18030"] if GB18030_PAIRS.search(data[:SAMPLE + 3]) else []), "cp1252"]
    else:
        chain = [guessed] if guessed else []
    chain += [fallback for fallback in ("utf-8", "gb18030", "cp1252") if fallback not in chain]
    for encoding in chain:
        try:
            return data.decode(encoding), codecs.lookup(encoding).name
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1"), "iso8859-1"


# The types lfx reads only with Docling (its Advanced Parser): refused when that is off, before any file is read
DOCLING_ONLY = frozenset({"adoc", "asciidoc", "asc", "bmp", "dotx", "dotm", "docm", "jpg", "jpeg", "png", "potx",
                          "ppsx", "pptm", "potm", "ppsm", "pptx", "tiff", "xls", "xlsx", "xhtml", "webp"})
DOCLING_NEEDED = ("File '{name}' has extension '.{extension}' which requires Advanced Parser mode. Please enable "
                  "'Advanced Parser' to process this file.")
# lfx's image check: the extensions it checks, and the signatures it knows an image's type by (WebP: RIFF, then WEBP
# at offset 8), in its order
IMAGE_TYPES = frozenset({"jpeg", "jpg", "png", "gif", "webp", "bmp", "tiff"})
SIGNATURES = (("jpeg", b"\xff\xd8\xff"), ("jpg", b"\xff\xd8\xff"), ("png", b"\x89PNG\r\n\x1a\n"), ("gif", b"GIF87a"),
              ("gif", b"GIF89a"), ("bmp", b"BM"), ("tiff", b"II*\x00"), ("tiff", b"MM\x00*"))
NOT_AN_IMAGE = ("File '{name}' has extension '.{extension}' but its content is not a valid image format. The file may "
                "be corrupted, empty, or not a real image.")
OTHER_IMAGE = ("File '{name}' has extension '.{extension}' but contains '{upper}' image data. This mismatch will cause "
               "API errors. Please rename the file with the correct extension '.{found}' or re-save it in the correct "
               "format.")


def image_refusal(name: str, extension: str, data: bytes) -> str | None:
    """Why lfx's validate_image_content_type refuses a file with an image's extension (`extension`, lower case): its
    bytes show no image type it knows (fewer than 12 bytes, or no signature), or another type than the extension
    says (jpg and jpeg the same); None where they match or the extension is no image's."""
    if extension not in IMAGE_TYPES:
        return None
    found = None
    if len(data) >= 12:
        found = "webp" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else next(
            (kind for kind, signature in SIGNATURES if data.startswith(signature)), None)
    if found is None:
        return NOT_AN_IMAGE.format(name=name, extension=extension)
    if ("jpeg" if extension == "jpg" else extension) != ("jpeg" if found == "jpg" else found):
        return OTHER_IMAGE.format(name=name, extension=extension, upper=found.upper(), found=found)
    return None


def started(count: int, concurrency: Any) -> str:
    """The log entry before the files are read: how many, and how many at once (at least 1)."""
    try:
        at_once = max(1, int(concurrency))
    except (TypeError, ValueError):
        at_once = 1
    return STARTED.format(count=count, concurrency=at_once)


def read_entry(path: str, encoding: str, *, explicit: bool) -> str:
    return READ.format(name=PurePosixPath(path).name, encoding=encoding,
                       selection="explicit" if explicit else "automatic")


def message_dump(text: str, files: list[tuple[str, int, str | None, str]], *, separator: str, at: datetime,
                 flow_id: Any, report: bool) -> dict[str, Any]:
    """The Message Read File returns, as its artifact shows it (model_dump order): the text, the first file's
    metadata, then the Message's own fields, unset (those the release's Message has). `files`: (server path,
    size, encoding, text) of each file read; none when every one failed silently (no metadata then). 1.13
    (`report`) gives the server path, name, size, mimetype (by extension, lfx's table) and encoding, and each
    file's path, text and encoding when there are several (`source_files`); earlier releases the name, size and
    mimetype alone."""
    dump: dict[str, Any] = {"text": text}
    if files:
        path, size, encoding, _ = files[0]
        name = PurePosixPath(path).name
        extension = name.split(".")[-1]
        dump.update({"file_path": path} if report else {})
        dump.update(filename=name, file_size=size)
        if extension:
            dump["mimetype"] = CONTENT_TYPES.get(extension.lower(), "application/octet-stream")
        if report and encoding is not None:
            dump["encoding"] = encoding
        if report and len(files) > 1:
            dump["source_files"] = _source_files(files, separator)
    message = made_message(text, flow_id, at).dump_order()
    if isinstance(message.get("properties"), dict):  # (as a component reading the Message's fields finds them)
        message["properties"] = properties_model(message["properties"])
    return {**dump, **{key: value for key, value in message.items() if key != "text"}}


def _source_files(files: list[tuple[str, int, str | None, str]], separator: str) -> list[dict[str, Any]]:
    """Each file's path, text and encoding, a file read twice once (its texts joined by the separator)."""
    sources: list[dict[str, Any]] = []
    for source, _size, source_encoding, part_text in files:
        known = next((s for s in sources if s["file_path"] == source), None)
        if known is not None:
            known["text"] = f"{known['text']}{separator}{part_text}"
            continue
        sources.append({"file_path": source, "text": part_text,
                        **({"encoding": source_encoding} if source_encoding else {})})
    return sources
