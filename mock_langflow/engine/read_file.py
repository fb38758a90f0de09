"""How 1.13's Read File (lfx's FileComponent, standard parsing) reads a text file and reports it: the text as its
encoding detection decodes it, its log entries, and the Message it returns with the file's metadata."""

from __future__ import annotations

import codecs
import re
import unicodedata
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

import orjson

from mock_langflow.clock import ts_message
from mock_langflow.engine.message import Source, properties

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
# the files lfx parses rather than decodes (no encoding reported)
PARSED = (".pdf", ".docx")
STARTED = "Starting parallel processing of {count} files with concurrency: {concurrency}."
READ = ("Read {name} with text encoding '{encoding}' ({selection}). If text looks incorrect, set Text Encoding to the "
        "file's encoding.")
GB18030_PAIRS = re.compile(rb"[\x81-\xfe][0-9][\x81-\xfe][0-9]")
SAMPLE = 102400  # the bytes chardet is shown


def decoded(data: bytes, path: str, explicit: str | None = None) -> tuple[str, str | None]:
    """The file's text and the encoding reported for it (None for a parsed PDF or DOCX, read here as UTF-8).
    Detected as lfx 1.13 detects it (_detected); an explicit Text Encoding is used as given. Line ends become
    \\n (the reader's universal newlines); a JSON file is re-serialised compactly, its top-level strings
    NFKD-normalised (lfx's parse_structured_text)."""
    if path.lower().endswith(PARSED):
        return data.decode("utf-8", "replace"), None
    if explicit:
        text, encoding = data.decode(explicit), codecs.lookup(explicit).name
    else:
        text, encoding = _detected(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if path.endswith(".json"):
        loaded = orjson.loads(text)
        if isinstance(loaded, dict):
            loaded = {k: unicodedata.normalize("NFKD", v) if isinstance(v, str) else v for k, v in loaded.items()}
        elif isinstance(loaded, list):
            loaded = [unicodedata.normalize("NFKD", v) if isinstance(v, str) else v for v in loaded]
        text = orjson.dumps(loaded).decode("utf-8")
    return text, encoding


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
                 flow_id: Any) -> dict[str, Any]:
    """The Message Read File returns, as its artifact shows it (model_dump order): the text, the first file's
    metadata (server path, name, size, mimetype by extension, encoding), each file's path, text and encoding when
    there are several (`files`: (server path, size, encoding, text)), then the Message's own fields, unset."""
    path, size, encoding, _ = files[0]
    name = PurePosixPath(path).name
    extension = name.split(".")[-1]
    dump: dict[str, Any] = {"text": text, "file_path": path, "filename": name, "file_size": size}
    if extension:
        dump["mimetype"] = CONTENT_TYPES.get(extension.lower(), "application/octet-stream")
    if encoding is not None:
        dump["encoding"] = encoding
    if len(files) > 1:
        sources: list[dict[str, Any]] = []
        for source, _size, source_encoding, part in files:
            known = next((s for s in sources if s["file_path"] == source), None)
            if known is not None:
                known["text"] = f"{known['text']}{separator}{part}"
                continue
            sources.append({"file_path": source, "text": part,
                            **({"encoding": source_encoding} if source_encoding else {})})
        dump["source_files"] = sources
    return {**dump, "files": [], "sender": None, "sender_name": None, "session_id": "", "context_id": "",
            "run_id": None, "timestamp": ts_message(at), "flow_id": str(flow_id) if flow_id else None,
            "error": False, "edit": False, "properties": properties(Source()), "category": "message",
            "content_blocks": [], "duration": None, "session_metadata": None}
