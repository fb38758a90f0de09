"""Files v1 (per flow) and v2 (per user): metadata in SQLite, bytes on disk under the data dir (facts 37-39).

Safety comes from the layout rather than from checks: the bytes of every file live in one flat folder, each
in a file named by a random hex id (`FileRow.blob`). A name a client sends only ever becomes a value in the
database, after `safe_name` has cut it down to one printable path segment; it never becomes part of a path
on disk, so no name, however it is encoded, can read, write or delete anything outside that folder.

Every write stages the bytes in a `.part` file first and moves them into place only inside the transaction
that records them: a failed upload leaves neither bytes nor a row, and bytes are removed only after the rows
that pointed at them are gone.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import tempfile
import unicodedata
import zlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from sqlalchemy import ColumnClause, literal_column, or_
from sqlmodel import Session, col, delete, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids, ts_file_prefix
from mock_langflow.store.db import Database
from mock_langflow.store.models import FileRow, FlowRow

# One name on a typical file system; longer client names are cut, keeping their extension.
MAX_NAME_BYTES = 255
MAX_EXTENSION_BYTES = 32
CHUNK = 1 << 20
BLOB_NAME = re.compile(r"[0-9a-f]{32}")
PART_NAME = re.compile(r"[0-9a-f]{32}\.part")
# The "<YYYY-MM-DD_HH-MM-SS>_" a v1 upload puts before the client's name (fact 37).
V1_TIME_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_")
ROWID: ColumnClause[Any] = literal_column("file.rowid")
# The "(n)" Langflow counts in a v2 name: at its end, or just before an ".ext" at its end.
COUNTED = re.compile(r"\((\d+)\)(?=\.\w+$|$)")
ID_SLICE = 500


def _cut(name: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes, cut at a character boundary, the extension kept when it is short."""
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext.encode()) > MAX_EXTENSION_BYTES:
        stem, dot, ext = name, "", ""
    room = max(limit - len((dot + ext).encode()), 0)
    return stem.encode()[:room].decode("utf-8", "ignore") + dot + ext


# What 1.13's storage refuses in a file name.
PATH_PARTS = ("/", "\\", "..")


def last_segment(raw: str | None) -> str:
    """A client's file name after its last separator (either), NFC-normalised."""
    return unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]


def safe_name(raw: str | None, *, limit: int = MAX_NAME_BYTES) -> str:
    """A client's file name made harmless: its last path segment, printable characters only (no NUL, no control or
    line-break characters), no surrounding spaces, at most `limit` bytes. "" when nothing usable is left ("", ".",
    "..", "../")."""
    name = "".join(ch for ch in last_segment(raw) if ch.isprintable()).strip()
    if name in (".", ".."):
        return ""
    return _cut(name, limit)


# Names Windows keeps for devices, whatever follows after a dot or a space ("con.txt", "COM1 backup"); COM and
# LPT take a digit or a superscript one, two or three.
RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                           | {f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"})
# Invisible formatting characters and the Unicode line and paragraph separators.
UNSAFE_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def name_refusal(name: str) -> str | None:
    """Why Langflow 1.13 refuses a v2 file name (an upload's or a rename's), or None: a path or "..", a NUL,
    CR or LF, an invisible formatting character, more than 255 UTF-8 bytes, nothing left as a file name, or a
    Windows device name."""
    if (not name or any(part in name for part in ("..", "/", "\\", "\x00", "\n", "\r"))
            or any(unicodedata.category(ch) in UNSAFE_CATEGORIES for ch in name)):
        return errors.FILE_NAME_UNSAFE
    if len(name.encode()) > MAX_NAME_BYTES:
        return errors.FILE_NAME_TOO_LONG
    if name == ".":  # a path whose last segment is empty
        return errors.FILE_NAME_NOTHING_LEFT
    if is_device_name(name):
        return errors.file_name_reserved(name)
    return None


def is_device_name(name: str) -> bool:
    """Whether a name is one Windows keeps for a device, alone or before a dot or a space ("con.txt")."""
    return re.split(r"[ .]", name, maxsplit=1)[0].upper() in RESERVED_NAMES


# What 1.13 turns into "_" in a zip entry's name: what Windows refuses in a file name, and C0 and C1 controls.
ZIP_UNSAFE = re.compile(r'[\\/\x00-\x1f\x7f-\x9f<>:"|?*]')


def _utf8_prefix(text: str, limit: int) -> str:
    return text.encode()[:limit].decode("utf-8", "ignore")


def _portable(text: str) -> str:
    text = ZIP_UNSAFE.sub("_", text)
    return "".join("_" if unicodedata.category(ch) in UNSAFE_CATEGORIES else ch for ch in text).replace("..", "_")


def portable_member_name(name: str, extension: str, suffix: str = "") -> str:
    """Langflow 1.13's name for a v2 file in a batch zip: the display name and the extension (".txt") with the
    characters Windows refuses, controls, invisible formatting characters and ".." as "_"; the name without
    leading or trailing spaces and dots ("file" when nothing is left) and with a leading "_" when it is a device
    name; `suffix` (what tells apart a name already used) between the two; at most 255 UTF-8 bytes in all, the
    name cut first."""
    stem = _portable(name).strip(" .") or "file"
    tail = suffix + _utf8_prefix(_portable(extension).rstrip(" ."),
                                 MAX_NAME_BYTES - len(suffix.encode()) - len("file"))
    budget = MAX_NAME_BYTES - len(tail.encode())
    stem = _utf8_prefix(stem, budget).rstrip(" .") or "file"
    if is_device_name(stem):
        stem = _utf8_prefix(f"_{stem}", budget).rstrip(" .")
    return stem + tail


def safe_label(raw: str) -> str:
    """A v2 display name (PUT ?name=): kept as given, except that it cannot hold a path separator or an
    unprintable character, since it names downloads and zip entries."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "_").replace("/", "_")
    return _cut("".join(ch for ch in name if ch.isprintable()), MAX_NAME_BYTES)


def split_extension(name: str) -> tuple[str, str]:
    """Langflow splits an uploaded name at its last dot: "notes.txt" -> ("notes", "txt")."""
    stem, dot, ext = name.rpartition(".")
    return (stem, ext) if dot else (name, "")


def stored_name(row: FileRow) -> str:
    """The last segment of a file's path: "notes (1).txt" of "<user_id>/notes (1).txt"."""
    return row.path.split("/", 1)[-1]


def extension(row: FileRow) -> str:
    """".txt": what a v2 download, a zip entry and a run add to the display name."""
    _, ext = split_extension(stored_name(row))
    return f".{ext}" if ext else ""


def download_name(row: FileRow) -> str:
    """The name a v2 file downloads as: its (possibly renamed) name plus the stored extension."""
    return row.name + extension(row)


def is_ephemeral(row: FileRow) -> bool:
    """An ephemeral v2 upload (?ephemeral=true): Langflow keeps its bytes in the user's storage folder and makes
    no database row. The mock keeps it as a file of the folder `<user_id>`, with the user's id as its flow_id, so
    that no v2 route (they take rows whose flow_id is NULL) sees it, and no flow's v1 route either (but that of a
    flow given its user's id, whose folder Langflow's storage shares too)."""
    return row.flow_id is not None and row.flow_id == row.user_id


def run_name(row: FileRow) -> str:
    """The name a run sees (scripted-LLM `file_name`): the client's own name for a v1 file, without the
    timestamp; the download name for a v2 file; the stored name for an ephemeral one."""
    if is_ephemeral(row):
        return stored_name(row)
    if row.flow_id is not None:
        return V1_TIME_PREFIX.sub("", row.name, count=1)
    return download_name(row)


@dataclass
class Staged:
    """An upload's bytes written to a `.part` file, with their size and digest, before the row that keeps them."""

    blob: str
    part: Path
    size: int
    sha256: str


class KeptFolder:
    """A folder of the mock's own files: `root`, or with `root=None` (--ephemeral) a private temporary directory,
    made on first use and removed by `dispose()` (or, failing that, when the object is collected or the
    interpreter exits)."""

    prefix = "mock-langflow-"

    def __init__(self, root: Path | None) -> None:
        self._root = root
        self._temp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def root(self) -> Path:
        if self._root is not None:
            return self._root
        if self._temp is None:
            self._temp = tempfile.TemporaryDirectory(prefix=self.prefix)
        return Path(self._temp.name)

    def dispose(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None


class Blobs(KeptFolder):
    """The bytes: one file per stored version, `<root>/<32 hex>`, staged as `<32 hex>.part`."""

    prefix = "mock-langflow-files-"

    def path(self, blob: str) -> Path:
        if not BLOB_NAME.fullmatch(blob):  # a stored value, never a client's: anything else is a bug
            raise ValueError(f"not a blob name: {blob!r}")
        return self.root / blob

    def stage(self, sources: Iterable[BinaryIO]) -> Staged:
        """Copy the sources, one after the other, into a new staging file; on failure nothing is left."""
        root = self.root
        root.mkdir(parents=True, exist_ok=True)
        blob = secrets.token_hex(16)
        part = root / f"{blob}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with part.open("xb") as out:
                for source in sources:
                    while chunk := source.read(CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return Staged(blob, part, size, digest.hexdigest())

    def publish(self, staged: Staged) -> None:
        os.replace(staged.part, self.path(staged.blob))

    def discard(self, staged: Staged) -> None:
        staged.part.unlink(missing_ok=True)
        self.path(staged.blob).unlink(missing_ok=True)

    def remove(self, blobs: Iterable[str]) -> None:
        for blob in blobs:
            self.path(blob).unlink(missing_ok=True)

    def open(self, blob: str) -> BinaryIO | None:
        try:
            return self.path(blob).open("rb")
        except FileNotFoundError:
            return None

    def read(self, blob: str) -> bytes | None:
        handle = self.open(blob)
        if handle is None:
            return None
        with handle:
            return handle.read()

    def sweep(self, keep: set[str]) -> None:
        """Remove what an interrupted process left: staging files, and bytes no row points at."""
        root = self._root
        if root is None or not root.is_dir():  # a temporary directory starts empty
            return
        for entry in root.iterdir():
            orphan = PART_NAME.fullmatch(entry.name) or (BLOB_NAME.fullmatch(entry.name) and entry.name not in keep)
            if orphan and entry.is_file():
                entry.unlink(missing_ok=True)


def _user_path(user_id: UUID, name: str, ext: str) -> str:
    """A v2 file's API path: "<user_id>/<name>.<ext>", or without the dot when there is no extension."""
    return f"{user_id}/{name}.{ext}" if ext else f"{user_id}/{name}"


def iter_blob(handle: BinaryIO) -> Iterator[bytes]:
    """A download's body, read from an already opened file (a delete meanwhile does not cut it short)."""
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


class Files:
    def __init__(self, db: Database, ids: Ids, clock: Clock, blobs: Blobs) -> None:
        self.db, self.ids, self.clock, self.blobs = db, ids, clock, blobs

    def _insert(self, row: FileRow, staged: Staged, *, replaces: Sequence[FileRow] = ()) -> FileRow:
        """Record `row`, whose bytes are `staged`, in place of `replaces`: all of it or nothing."""
        try:
            with self.db.session() as s:
                for old in replaces:
                    s.delete(old)
                s.flush()
                s.add(row)
                s.flush()
                self.blobs.publish(staged)
        except BaseException:
            self.blobs.discard(staged)
            raise
        self.blobs.remove(old.blob for old in replaces)
        return row

    # --- v1: a flow's files ----------------------------------------------------------------------------

    def flow_for_files(self, flow_id: UUID, *, user_id: UUID) -> FlowRow:
        """Langflow's get_flow of api/v1/files.py: 404 "Flow not found" for an unknown flow and, so that nobody
        learns which ids exist, for someone else's flow too (an example flow, nobody's, included), in every
        emulated release."""
        with self.db.session() as s:
            flow = s.get(FlowRow, flow_id)
        if flow is None or flow.user_id != user_id:
            raise errors.FlowNotFound()
        return flow

    def save_to_flow(self, flow: FlowRow, *, filename: str | None, source: BinaryIO,
                     content_named: bool = False, refuse_paths: bool = False) -> FileRow:
        """A v1 upload, stored as "<YYYY-MM-DD_HH-MM-SS>_<name>" (or, for the deprecated route, as
        "<sha256><extension>"). The same name again replaces the file, as Langflow's storage overwrites it.
        `refuse_paths` (1.13): a name holding a slash, a backslash or '..' is refused, as 1.13's storage refuses
        to write it (and its download refuses to read such a name), and so is one that would hold '..'
        once made safe."""
        if flow.user_id is None:  # an example flow: flow_for_files admits only a user's own
            raise errors.FlowNotFound()
        if refuse_paths and not content_named and (
                any(part in (filename or "") for part in PATH_PARTS) or ".." in safe_name(filename)):
            raise errors.BadRequest(errors.FILE_NAME_PATH_SEPARATORS)
        staged = self.blobs.stage([source])
        try:
            now = self.clock.now()
            if content_named:
                _, ext = split_extension(safe_name(filename))
                stored = staged.sha256 + (f".{ext}" if ext and len(ext.encode()) <= MAX_EXTENSION_BYTES else "")
            else:
                prefix = ts_file_prefix(now) + "_"
                stored = prefix + (safe_name(filename, limit=MAX_NAME_BYTES - len(prefix)) or staged.sha256)
            path = f"{flow.id}/{stored}"
            with self.db.session() as s:
                replaces = list(s.exec(select(FileRow).where(FileRow.path == path)).all())
            row = FileRow(id=self.ids.uuid(), user_id=flow.user_id, flow_id=flow.id, name=stored, path=path,
                          size=staged.size, blob=staged.blob, created_at=now, updated_at=now)
        except BaseException:
            self.blobs.discard(staged)
            raise
        return self._insert(row, staged, replaces=replaces)

    def flow_files(self, flow_id: UUID) -> list[FileRow]:
        with self.db.session() as s:
            return list(s.exec(select(FileRow).where(FileRow.flow_id == flow_id).order_by(ROWID)).all())

    def file_at(self, folder: UUID, name: str) -> FileRow | None:
        """The file stored as "<folder>/<name>": a v1 file of the flow `folder`, or a file of the user `folder`
        (Langflow's storage keeps both kinds in one folder per id)."""
        with self.db.session() as s:
            return s.exec(select(FileRow).where(FileRow.path == f"{folder}/{name}")).first()

    def flow_file(self, flow_id: UUID, name: str) -> FileRow | None:
        with self.db.session() as s:
            return s.exec(select(FileRow).where(FileRow.flow_id == flow_id,
                                                FileRow.path == f"{flow_id}/{name}")).first()

    def delete_flow_file(self, flow_id: UUID, name: str) -> None:
        """Idempotent, as Langflow's (fact 37): a name that is not there deletes nothing."""
        with self.db.session() as s:
            rows = list(s.exec(select(FileRow).where(FileRow.flow_id == flow_id,
                                                     FileRow.path == f"{flow_id}/{name}")).all())
            for row in rows:
                s.delete(row)
        self.blobs.remove(r.blob for r in rows)

    # --- v2: a user's files ----------------------------------------------------------------------------

    def save_for_user(self, user_id: UUID, *, filename: str | None, source: BinaryIO, append: bool = False,
                      replace: bool = False, strict: bool = False, ephemeral: bool = False) -> FileRow:
        """A v2 upload: name = the stem ("notes"), path = "<user_id>/<stem>.<ext>", numbered as Langflow numbers it
        (`_numbered`). With `append`, the bytes are added to the caller's file of that name instead (a new one, if
        there is none, keeps the stem unnumbered, as in Langflow); with `replace` (seeding), they take the place of
        the bytes of the caller's file with that very path. `strict` (1.13): an unsafe name (name_refusal), or one
        that " (n)" takes past 255 bytes, is refused rather than cut.

        `ephemeral`: the bytes are kept, named as any upload's, for a run to read by their path, but there is no
        v2 file (is_ephemeral): nothing lists it, and its id is a 404. Deviation: appended to a file of the
        caller's, the file's listed size grows, where Langflow leaves the size in its row as it was."""
        if strict and filename and (refusal := name_refusal(filename)):
            raise errors.BadRequest(refusal)
        name = safe_name(filename)
        if not name:
            raise errors.BadRequest(errors.NO_FILE_PROVIDED)
        stem, ext = split_extension(name)
        if append or replace:
            same = FileRow.name == stem if append else FileRow.path == _user_path(user_id, stem, ext)
            with self.db.session() as s:
                existing = s.exec(select(FileRow).where(FileRow.user_id == user_id, col(FileRow.flow_id).is_(None),
                                                        same).order_by(ROWID)).first()
            if existing is not None:
                row = self._rewrite(existing, source, append=append)
                if not ephemeral:
                    return row
                # The bytes went to the file; the answer names a file that no row holds, as Langflow's does.
                return FileRow(id=self.ids.uuid(), user_id=user_id, flow_id=user_id, name=row.name, path=row.path,
                               size=row.size, blob=row.blob, created_at=row.updated_at, updated_at=row.updated_at)
        staged = self.blobs.stage([source])
        try:
            now = self.clock.now()
            with self.db.session() as s:
                number = 0 if append or replace else self._numbered(s, user_id, stem)
                unique, path, replaces = self._free_path(s, user_id, stem, ext, number)
            if strict and len(path.split("/", 1)[-1].encode()) > MAX_NAME_BYTES:
                raise errors.BadRequest(errors.FILE_NAME_TOO_LONG)
            row = FileRow(id=self.ids.uuid(), user_id=user_id, flow_id=user_id if ephemeral else None, name=unique,
                          path=path, size=staged.size, blob=staged.blob, created_at=now, updated_at=now)
        except BaseException:
            self.blobs.discard(staged)
            raise
        return self._insert(row, staged, replaces=replaces)

    def _rewrite(self, existing: FileRow, source: BinaryIO, *, append: bool) -> FileRow:
        """New bytes for a stored file, keeping its id and name: its old bytes then `source`, or `source` alone."""
        if append:
            before = self.blobs.open(existing.blob) or io.BytesIO()
            with before:
                staged = self.blobs.stage([before, source])
        else:
            staged = self.blobs.stage([source])
        try:
            with self.db.session() as s:
                row = s.get(FileRow, existing.id)
                if row is None:
                    raise errors.FileNotFound()
                row.size, row.blob, row.updated_at = staged.size, staged.blob, self.clock.now()
                s.add(row)
                s.flush()
                self.blobs.publish(staged)
        except BaseException:
            self.blobs.discard(staged)
            raise
        self.blobs.remove([existing.blob])
        return row

    @staticmethod
    def _numbered(s: Session, user_id: UUID, stem: str) -> int:
        """The n of Langflow's "<stem> (n)" for a new upload, 0 for the stem alone: when any of the caller's v2
        files has a name that starts with the stem (Langflow's SQL `LIKE '<stem>%'`, so ASCII case is ignored and
        `_` and `%` match any character(s)), one more than the highest "(n)" that ends such a name or comes just
        before an ".ext" at its end (0 if none has one). "report_final" or "Notes" make "report (1)" or
        "notes (1)"; "notes (1)" alone (its "notes" deleted) makes "notes (2)"."""
        names = s.exec(select(FileRow.name).where(FileRow.user_id == user_id, col(FileRow.flow_id).is_(None),
                                                  col(FileRow.name).like(f"{stem}%"))).all()
        if not names:
            return 0
        return max((int(m.group(1)) for name in names if (m := COUNTED.search(name))), default=0) + 1

    @staticmethod
    def _free_path(s: Session, user_id: UUID, stem: str, ext: str,
                   number: int) -> tuple[str, str, list[FileRow]]:
        """The name "<stem> (<number>)" (the stem alone for 0) and its path, with the ephemeral files at that path,
        which the new file replaces (Langflow's storage writes over them). Should a v2 file of the caller have that
        path already (a renamed file keeps its path), the next number whose path is free: Langflow would write over
        that file's bytes, the mock never does."""
        taken = {row.path: row for row in s.exec(select(FileRow).where(
            FileRow.user_id == user_id, or_(col(FileRow.flow_id).is_(None), FileRow.flow_id == user_id))).all()}
        for n in count(number):
            candidate = f"{stem} ({n})" if n else stem
            path = _user_path(user_id, candidate, ext)
            found = taken.get(path)
            if found is None or is_ephemeral(found):
                return candidate, path, [found] if found is not None else []
        raise AssertionError("unreachable")  # pragma: no cover

    def user_files(self, user_id: UUID) -> list[FileRow]:
        with self.db.session() as s:
            return list(s.exec(select(FileRow).where(FileRow.user_id == user_id, col(FileRow.flow_id).is_(None))
                               .order_by(ROWID)).all())

    def user_file_named(self, user_id: UUID, name: str) -> FileRow | None:
        """The caller's first v2 file of that name (Langflow's get_file_by_name), None if there is none."""
        with self.db.session() as s:
            return s.exec(select(FileRow).where(FileRow.user_id == user_id, col(FileRow.flow_id).is_(None),
                                                FileRow.name == name).order_by(ROWID)).first()

    def replace_named(self, user_id: UUID, *, filename: str, source: BinaryIO) -> FileRow:
        """An upload Langflow never numbers (the user's MCP servers file): it takes the place of the caller's v2
        files of that name, a new id under the same name. Should a renamed file of the caller hold its path, the
        bytes go to the next free "<name> (n)" path (Langflow would write over that file's bytes)."""
        stem, ext = split_extension(filename)
        staged = self.blobs.stage([source])
        try:
            now = self.clock.now()
            with self.db.session() as s:
                mine = s.exec(select(FileRow).where(FileRow.user_id == user_id, or_(
                    col(FileRow.flow_id).is_(None), FileRow.flow_id == user_id))).all()
            replaces = [row for row in mine if row.flow_id is None and row.name == stem]
            taken = {row.path for row in mine if row.flow_id is None and row.name != stem}
            paths = (_user_path(user_id, f"{stem} ({n})" if n else stem, ext) for n in count())
            path = next(p for p in paths if p not in taken)
            replaces += [row for row in mine if is_ephemeral(row) and row.path == path]  # bytes written over
            row = FileRow(id=self.ids.uuid(), user_id=user_id, flow_id=None, name=stem, path=path, size=staged.size,
                          blob=staged.blob, created_at=now, updated_at=now)
        except BaseException:
            self.blobs.discard(staged)
            raise
        return self._insert(row, staged, replaces=replaces)

    def user_file(self, file_id: UUID, *, user_id: UUID) -> FileRow:
        """Langflow's fetch_file_object: 404 "File not found" for an unknown id and for another user's file alike,
        in every emulated release (an ephemeral upload has no v2 row either)."""
        with self.db.session() as s:
            row = s.get(FileRow, file_id)
        if row is None or row.flow_id is not None or row.user_id != user_id:
            raise errors.FileNotFound()
        return row

    @staticmethod
    def _owned(s: Session, user_id: UUID, file_ids: Sequence[UUID] | None) -> list[FileRow]:
        """The caller's v2 files (all, or those among `file_ids`, other ids ignored), oldest first. Ids are
        looked up a slice at a time: SQLite caps the parameters of one statement, a request body does not."""
        query = select(FileRow).where(FileRow.user_id == user_id, col(FileRow.flow_id).is_(None))
        if file_ids is None:
            return list(s.exec(query.order_by(ROWID)).all())
        unique = list(dict.fromkeys(file_ids))
        rows = [row for start in range(0, len(unique), ID_SLICE)
                for row in s.exec(query.where(col(FileRow.id).in_(unique[start:start + ID_SLICE]))).all()]
        return sorted(rows, key=lambda r: (r.created_at, r.path))

    def user_files_by_ids(self, file_ids: Sequence[UUID], *, user_id: UUID) -> list[FileRow]:
        """The caller's v2 files among `file_ids`; other ids are ignored."""
        with self.db.session() as s:
            return self._owned(s, user_id, file_ids)

    def rename(self, file_id: UUID, *, user_id: UUID, name: str, strict: bool = False) -> FileRow:
        """PUT ?name=: only the display name changes; the path, and so the bytes, stay. `strict` (1.13): an unsafe
        name is refused (name_refusal) once the file is found, rather than made safe."""
        self.user_file(file_id, user_id=user_id)
        if strict and (refusal := name_refusal(name)):
            raise errors.BadRequest(refusal)
        with self.db.session() as s:
            row = s.get(FileRow, file_id)
            if row is None:
                raise errors.FileNotFound()
            row.name, row.updated_at = safe_label(name), self.clock.now()
            s.add(row)
            return row

    def delete_user_file(self, file_id: UUID, *, user_id: UUID) -> FileRow:
        self.user_file(file_id, user_id=user_id)
        with self.db.session() as s:
            row = s.get(FileRow, file_id)
            if row is None:
                raise errors.FileNotFound()
            s.delete(row)
        self.blobs.remove([row.blob])
        return row

    def delete_user_files(self, *, user_id: UUID, file_ids: Sequence[UUID] | None = None) -> int:
        """Delete all of the caller's v2 files, or those among `file_ids`; returns how many went."""
        with self.db.session() as s:
            rows = self._owned(s, user_id, file_ids)
            for row in rows:
                s.delete(row)
        self.blobs.remove(r.blob for r in rows)
        return len(rows)

    # --- reading -------------------------------------------------------------------------------------

    def open(self, row: FileRow) -> BinaryIO | None:
        return self.blobs.open(row.blob)

    def read_for_run(self, path: str, *, user_id: UUID | None) -> tuple[str, bytes] | None:
        """A run's file (a Chat Input's `files`, a File component's `path`): a v2 "<user_id>/<file>" or a v1
        "<flow_id>/<file>" the caller owns, as (name, bytes). Anything else, someone else's file included, is
        None: the run then behaves as if the file did not exist."""
        if user_id is None or not isinstance(path, str):
            return None
        folder, sep, name = path.strip().partition("/")
        if not sep or not name or "/" in name:
            return None
        try:
            folder_id = UUID(folder)
        except ValueError:
            return None
        with self.db.session() as s:
            row = s.exec(select(FileRow).where(FileRow.path == f"{folder_id}/{name}",
                                               FileRow.user_id == user_id)).first()
        data = self.blobs.read(row.blob) if row is not None else None
        if row is None or data is None:
            return None
        return run_name(row), data

    def is_image(self, path: str) -> bool:
        """Whether a storage key ("<folder>/<file>") names a stored file whose bytes are an image that PIL, which
        Langflow's Message checks its files with, opens: a PNG, JPEG, GIF or WebP one. Whose file it is does not
        matter: Langflow looks at the path on disk."""
        with self.db.session() as s:
            row = s.exec(select(FileRow).where(FileRow.path == path)).first()
        data = self.blobs.read(row.blob) if row is not None else None
        return data is not None and is_image_data(data)

    # --- what other deletions take along (in the caller's transaction) -----------------------------------

    @staticmethod
    def delete_for_flows(s: Session, flow_ids: Sequence[UUID]) -> list[str]:
        """Delete the v1 files of these flows; returns their blobs, to remove once the transaction is done."""
        ids = list(flow_ids)
        rows = [row for start in range(0, len(ids), ID_SLICE)
                for row in s.exec(select(FileRow).where(col(FileRow.flow_id).in_(ids[start:start + ID_SLICE]))).all()]
        for row in rows:
            s.delete(row)
        return [r.blob for r in rows]

    @staticmethod
    def delete_for_user(s: Session, user_id: UUID) -> list[str]:
        """Delete every file a user owns (v2, and v1 of their flows); returns the blobs."""
        rows = s.exec(select(FileRow).where(FileRow.user_id == user_id)).all()
        for row in rows:
            s.delete(row)
        return [r.blob for r in rows]

    def sweep(self) -> None:
        """Remove the upload bytes no file row points at (every one, with a database this start made)."""
        keep: set[str] = set()
        if not self.db.new:
            with self.db.session() as s:
                keep = set(s.exec(select(FileRow.blob)).all())
        self.blobs.sweep(keep)

    def seed_user_file(self, *, user_id: UUID, name: str, content: bytes) -> FileRow:
        """Seeding: a v2 file of the user, as if uploaded; seeding it again replaces its bytes (no "notes (1)")."""
        return self.save_for_user(user_id, filename=name, source=io.BytesIO(content), replace=True)

    def reset(self, *, kept: Collection[UUID] = ()) -> None:
        """Every file but those `kept` gone, rows first (one statement), then their bytes (the control API's
        reset)."""
        gone = col(FileRow.id).not_in(list(kept))
        with self.db.session() as s:
            blobs = list(s.exec(select(FileRow.blob).where(gone)).all())
            if blobs:
                s.exec(delete(FileRow).where(gone))
        self.blobs.remove(blobs)


_PNG = b"\x89PNG\r\n\x1a\n"
_GIF = (b"GIF87a", b"GIF89a")


def is_image_data(data: bytes) -> bool:
    """Whether bytes are an image as PIL's open and verify take one, for the formats a chat's images come in: a
    PNG's chunks (IHDR first) must run, each checksum right, to its IEND; a JPEG's markers must run, as PIL's
    JPEG plugin reads them, through a frame header to the start of the scan; a GIF's header and blocks must run,
    as PIL's GIF plugin reads them, to its first image; a WebP is taken by its signature (PIL decodes it with
    libwebp)."""
    if data.startswith(_PNG):
        return _png_chunks_ok(data)
    if data.startswith(_JPEG):
        return _jpeg_header_ok(data)
    if data.startswith(_GIF):
        return _gif_frame_ok(data)
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


_JPEG = b"\xff\xd8\xff"
# PIL's JPEG marker table (0xFFC0-0xFFFE): the markers that carry a segment, by what PIL checks in it
_JPEG_FRAME = frozenset({0xFFC0, 0xFFC1, 0xFFC2, 0xFFC3, 0xFFC5, 0xFFC6, 0xFFC7, 0xFFC9, 0xFFCA, 0xFFCB, 0xFFCD,
                         0xFFCE, 0xFFCF, 0xFFDE})
_JPEG_SEGMENT = (_JPEG_FRAME | {0xFFC4, 0xFFCC, 0xFFDA, 0xFFDB, 0xFFDC, 0xFFDD, 0xFFDF, 0xFFFE}
                 | set(range(0xFFE0, 0xFFF0)))
_JPEG_START_OF_SCAN = 0xFFDA


def _jpeg_header_ok(data: bytes) -> bool:
    """PIL's JPEG open: from the signature on, markers (bytes before a 0xFF skipped, 0xFFFF padding, 0xFF00
    escapes) up to the start of scan. Each segment it reads must be there whole; a frame header must say 8 bits
    and 1, 3 or 4 layers and hold whole components; quantization tables must be whole; a JFIF or Adobe segment
    must hold its version, an ICC profile part its count; the image needs a frame of some size. Anything else
    fails its open."""
    at, current, size, icc = 3, 0xFF, (0, 0), []
    while True:
        if current != 0xFF:
            if at >= len(data):
                return False
            current, at = data[at], at + 1
            continue
        if at >= len(data):
            return False
        marker, at = 0xFF00 | data[at], at + 1
        if marker == 0xFFFF:
            continue  # padding: the second 0xFF starts the next marker
        if marker != 0xFF00 and not 0xFFC0 <= marker <= 0xFFFE:
            return False  # "no marker found"
        if marker in _JPEG_SEGMENT:
            if at + 2 > len(data):
                return False
            length, at = int.from_bytes(data[at:at + 2], "big") - 2, at + 2
            segment = b""
            if length > 0:
                if at + length > len(data):
                    return False
                segment, at = data[at:at + length], at + length
            if marker in _JPEG_FRAME:
                if (len(segment) < 6 or segment[0] != 8 or segment[5] not in (1, 3, 4)
                        or (len(segment) - 6) % 3):  # each component takes three bytes
                    return False
                if icc and len(min(icc)) < 14:
                    return False
                size, icc = (int.from_bytes(segment[3:5], "big"), int.from_bytes(segment[1:3], "big")), []
            elif marker == 0xFFDB and not _quantization_ok(segment):
                return False
            elif (marker, segment[:4]) == (0xFFE0, b"JFIF") or (marker, segment[:5]) == (0xFFEE, b"Adobe"):
                if len(segment) < 7:
                    return False
            elif marker == 0xFFE2 and segment.startswith(b"ICC_PROFILE\0"):
                icc.append(segment)
            if marker == _JPEG_START_OF_SCAN:
                return size[0] > 0 and size[1] > 0
        if at >= len(data):
            return False
        current, at = data[at], at + 1


def _palette_read(palette: bytes) -> bool:
    """Whether PIL's GIF plugin gets through its look at a colour table (whether it holds other colours than
    its indices' greys) without running off a last, incomplete entry."""
    for index in range(0, len(palette), 3):
        if index // 3 != palette[index]:
            return True
        if index + 1 >= len(palette) or palette[index] != palette[index + 1]:
            return index + 1 < len(palette)
        if index + 2 >= len(palette) or palette[index + 1] != palette[index + 2]:
            return index + 2 < len(palette)
    return True


def _gif_frame_ok(data: bytes) -> bool:
    """PIL's GIF open: the screen descriptor (and its colour table), then blocks up to the first image
    descriptor, as it reads them to get ready for the first frame: extensions skipped sub-block by sub-block (a
    graphic control one must hold its fields), other bytes passed over; the file must not end first (nor in the
    image descriptor, its colour table or the byte after it), and the screen, widened to the image's extent,
    must have some size."""
    if len(data) < 11 or (data[10] & 128 and len(data) < 12):
        return False
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    at: int | None = _past_colour_table(data, min(13, len(data)), data[10])
    while at is not None and at < len(data) and data[at:at + 1] != b";":
        kind, at = data[at:at + 1], at + 1
        if kind == b"!":
            at = _past_extension(data, at)
        elif kind == b",":
            return _first_image_ok(data, at, width, height)
    return False


def _past_colour_table(data: bytes, at: int, flags: int) -> int | None:
    """Where the bytes after the colour table that a screen or image descriptor's `flags` announce at `at` start
    (`at` itself when they announce none, the end of the data when it is cut short); None when PIL's look at it
    fails (_palette_read)."""
    if not flags & 128:
        return at
    table = data[at:at + (3 << ((flags & 7) + 1))]
    return at + len(table) if _palette_read(table) else None


def _sub_block(data: bytes, at: int) -> tuple[bytes | None, int]:
    """The GIF sub-block at `at` (None for the empty one that ends a run of them; cut short at the end of the
    data), and where the next one starts."""
    size = data[at] if at < len(data) else 0
    at = min(at + 1, len(data))
    if not size:
        return None, at
    return data[at:at + size], min(at + size, len(data))


def _past_sub_blocks(data: bytes, at: int) -> int:
    """Where the bytes after the sub-blocks from `at` on start: PIL reads them up to an empty (or no) one."""
    block, at = _sub_block(data, at)
    while block:
        block, at = _sub_block(data, at)
    return at


def _past_extension(data: bytes, at: int) -> int | None:
    """Where the bytes after the extension whose label is at `at` start, as PIL's GIF plugin skips it; None when
    the data ends before the label, or a graphic control extension lacks its fields."""
    if at >= len(data):
        return None
    label = data[at]
    block, at = _sub_block(data, at + 1)
    if label == 249 and block is not None and (not block or (block[0] & 1 and len(block) < 4) or len(block) < 3):
        return None
    if label == 254:  # a comment: the rest of its sub-blocks, unless its first was the last
        return _past_sub_blocks(data, at) if block else at
    if label == 255 and block is not None and block.startswith(b"NETSCAPE2.0"):
        _, at = _sub_block(data, at)  # the loop count's sub-block, read before the rest are skipped
    return _past_sub_blocks(data, at)


def _first_image_ok(data: bytes, at: int, width: int, height: int) -> bool:
    """The image descriptor at `at` (and its colour table) must be whole with a byte after them, and the screen
    (`width` x `height`), widened to the image's extent, must have some size."""
    image = data[at:at + 9]
    if len(image) < 9:
        return False
    x1 = int.from_bytes(image[0:2], "little") + int.from_bytes(image[4:6], "little")
    y1 = int.from_bytes(image[2:4], "little") + int.from_bytes(image[6:8], "little")
    end = _past_colour_table(data, at + 9, image[8])
    return end is not None and end < len(data) and max(width, x1) > 0 and max(height, y1) > 0


def _quantization_ok(segment: bytes) -> bool:
    while segment:
        length = 1 + (64 if segment[0] // 16 == 0 else 128)
        if len(segment) < length:
            return False
        segment = segment[length:]
    return True


def _png_chunks_ok(data: bytes) -> bool:
    """The chunks up to IEND, whose header alone PIL's verify reads (neither its data nor its checksum)."""
    at, first = len(_PNG), True
    while at + 8 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, end = data[at + 4:at + 8], at + 8 + length
        if kind == b"IEND" and not first:
            return True
        if end + 4 > len(data) or (first and (kind != b"IHDR" or length != 13)):
            return False
        if zlib.crc32(data[at + 4:end]) != int.from_bytes(data[end:end + 4], "big"):
            return False
        at, first = end + 4, False
    return False
