"""Flows: the rules of create, rename, update, list and delete (facts 31-36)."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import func, literal_column, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids
from mock_langflow.schemas.flows import FlowCreate, FlowDownload, FlowRead, FlowUpdate
from mock_langflow.store.db import Database, sql_int
from mock_langflow.store.models import FlowRow, FolderRow

ROWID = literal_column("flow.rowid")


def flow_read(row: FlowRow) -> FlowRead:
    return FlowRead.model_validate(row, from_attributes=True)


# Editor-only node state, and secrets: a downloaded flow carries neither (flows_download_single).
EXPORT_DROPPED_NODE_KEYS = ("selected", "dragging")


def export_graph(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return data
    nodes = []
    for node in data.get("nodes") or []:
        if not isinstance(node, dict):
            nodes.append(node)
            continue
        node = {k: v for k, v in node.items() if k not in EXPORT_DROPPED_NODE_KEYS}
        template = ((node.get("data") or {}).get("node") or {}).get("template")
        if isinstance(template, dict):
            node = copy.deepcopy(node)
            for field in node["data"]["node"]["template"].values():
                if not isinstance(field, dict):
                    continue
                if field.get("password"):
                    field["value"] = None
                elif field.get("type") == "code" and isinstance(field.get("value"), str):
                    # exported code is a list of lines, so downloaded flows diff well (flows_download_single)
                    field["value"] = field["value"].split("\n")
        nodes.append(node)
    return {**data, "nodes": nodes}


def import_graph(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """The reverse of export_graph's code-as-lines, so a downloaded flow uploads as it was."""
    if not isinstance(data, dict) or not any(_has_listed_code(n) for n in data.get("nodes") or []):
        return data
    data = copy.deepcopy(data)
    for node in data["nodes"]:
        if _has_listed_code(node):
            code = node["data"]["node"]["template"]["code"]
            code["value"] = "\n".join(str(line) for line in code["value"])
    return data


def _has_listed_code(node: Any) -> bool:
    try:
        return isinstance(node["data"]["node"]["template"]["code"]["value"], list)
    except (KeyError, TypeError):
        return False


def flow_download(row: FlowRow) -> FlowDownload:
    values = {name: getattr(row, name) for name in FlowDownload.model_fields if name != "last_modified_by"}
    values["data"] = export_graph(row.data)
    return FlowDownload.model_validate({**values, "last_modified_by": row.user_id})


def flows_archive(rows: Sequence[FlowRow]) -> bytes:
    """A zip with one "<flow name>.json" per flow, stored uncompressed as Langflow's downloads are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            # indented, keys sorted, as Langflow writes the files of a download (flows_download_multi.zip)
            entry = json.dumps(flow_download(row).model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False)
            archive.writestr(f"{row.name}.json", entry)
    return buffer.getvalue()


def has_webhook_component(data: dict[str, Any] | None) -> bool:
    nodes = (data or {}).get("nodes") or []
    return any(isinstance(n, dict) and str(n.get("id", "")).startswith("Webhook") for n in nodes)


def _next_free(taken: Iterable[str], base: str, pattern: str, fmt: str) -> str:
    """`base` itself if free, else the next numbered variant after the highest one in use."""
    taken = set(taken)
    if base not in taken:
        return base
    numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(pattern, t))]
    return fmt.format(base=base, n=max(numbers, default=0) + 1)


class Flows:
    def __init__(self, db: Database, ids: Ids, clock: Clock) -> None:
        self.db, self.ids, self.clock = db, ids, clock

    # --- reads ------------------------------------------------------------------------------------------

    def get(self, flow_id: UUID, *, user_id: UUID | None) -> FlowRow:
        """The caller's flow, or one of the shared examples; anything else is 'Flow not found'."""
        with self.db.session() as s:
            row = s.get(FlowRow, flow_id)
        if row is None or (row.user_id is not None and row.user_id != user_id):
            raise errors.FlowNotFound()
        return row

    def find(self, id_or_endpoint: str, *, user_id: UUID | None) -> FlowRow | None:
        """Resolve a /run-style path segment: a UUID or an endpoint_name, never a flow name (fact 10)."""
        try:
            flow_id: UUID | None = UUID(id_or_endpoint)
        except ValueError:
            flow_id = None
        with self.db.session() as s:
            if flow_id is not None:
                row = s.get(FlowRow, flow_id)
            else:
                row = s.exec(select(FlowRow).where(FlowRow.endpoint_name == id_or_endpoint)
                             .where(or_(FlowRow.user_id == user_id, col(FlowRow.user_id).is_(None)))
                             .order_by(col(FlowRow.user_id).is_(None))).first()
        if row is None or (row.user_id is not None and row.user_id != user_id):
            return None
        return row

    def find_any(self, id_or_endpoint: str) -> FlowRow | None:
        """Resolve a webhook path segment before anyone is authenticated: any owner's flow."""
        try:
            flow_id: UUID | None = UUID(id_or_endpoint)
        except ValueError:
            flow_id = None
        with self.db.session() as s:
            if flow_id is not None:
                return s.get(FlowRow, flow_id)
            return s.exec(select(FlowRow).where(FlowRow.endpoint_name == id_or_endpoint)
                          .order_by(ROWID)).first()

    def list(self, *, user_id: UUID, include_examples: bool, folder_id: UUID | None = None,
             components_only: bool = False, offset: int = 0, limit: int | None = None) -> tuple[int, list[FlowRow]]:
        """(total, rows) in creation order: the examples first, then the caller's own flows."""
        owner = FlowRow.user_id == user_id
        where: list[Any] = [or_(owner, col(FlowRow.user_id).is_(None)) if include_examples else owner]
        if folder_id is not None:
            where.append(FlowRow.folder_id == folder_id)
        if components_only:
            where.append(FlowRow.is_component == True)  # noqa: E712  (SQL expression)
        with self.db.session() as s:
            total = s.exec(select(func.count()).select_from(FlowRow).where(*where)).one()
            query = select(FlowRow).where(*where).order_by(col(FlowRow.user_id).is_not(None), ROWID)
            if limit is not None:
                query = query.offset(sql_int(offset)).limit(sql_int(limit))
            return total, list(s.exec(query).all())

    def by_ids(self, ids: Sequence[UUID], *, user_id: UUID) -> list[FlowRow]:
        with self.db.session() as s:
            return list(s.exec(select(FlowRow).where(col(FlowRow.id).in_(ids), FlowRow.user_id == user_id)
                               .order_by(ROWID)).all())

    # --- writes -----------------------------------------------------------------------------------------

    def create(self, data: FlowCreate, *, user_id: UUID | None, default_folder: UUID | None) -> FlowRow:
        with self.db.session() as s:
            return self._insert(s, data, user_id=user_id, default_folder=default_folder)

    def create_many(self, flows: Sequence[FlowCreate], *, user_id: UUID, default_folder: UUID,
                    folder_id: UUID | None = None) -> list[FlowRow]:
        """All or nothing: a failing flow leaves none of the others behind."""
        with self.db.session() as s:
            return [self._insert(s, f, user_id=user_id, default_folder=default_folder,
                                 folder_override=folder_id) for f in flows]

    def _insert(self, s: Session, data: FlowCreate, *, user_id: UUID | None, default_folder: UUID | None,
                folder_override: UUID | None = None) -> FlowRow:
        values = data.model_dump(exclude={"id", "user_id", "folder_id", "updated_at"})
        values["data"] = import_graph(values.get("data"))
        values["name"] = self._free_name(s, user_id, data.name)
        if data.endpoint_name:
            values["endpoint_name"] = self._free_endpoint(s, user_id, data.endpoint_name)
        folder = folder_override or data.folder_id
        if folder is None or not self._owns_folder(s, user_id, folder):
            folder = default_folder
        flow_id = data.id if data.id is not None and s.get(FlowRow, data.id) is None else self.ids.uuid()
        now = self.clock.now()
        row = FlowRow(**values, id=flow_id, user_id=user_id, folder_id=folder, updated_at=now, created_at=now,
                      version_token=self.ids.uuid())
        s.add(row)
        s.flush()
        return row

    @staticmethod
    def _owns_folder(s: Session, user_id: UUID | None, folder_id: UUID) -> bool:
        folder = s.get(FolderRow, folder_id)
        return folder is not None and folder.user_id == user_id

    @staticmethod
    def _free_name(s: Session, user_id: UUID | None, name: str) -> str:
        like = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " (%"
        taken = s.exec(select(FlowRow.name).where(FlowRow.user_id == user_id)
                       .where(or_(FlowRow.name == name, col(FlowRow.name).like(like, escape="\\")))).all()
        return _next_free(taken, name, rf"{re.escape(name)} \((\d+)\)", "{base} ({n})")

    @staticmethod
    def _free_endpoint(s: Session, user_id: UUID | None, endpoint: str) -> str:
        like = endpoint.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
        taken = s.exec(select(FlowRow.endpoint_name).where(FlowRow.user_id == user_id)
                       .where(or_(FlowRow.endpoint_name == endpoint,
                                  col(FlowRow.endpoint_name).like(like, escape="\\")))).all()
        return _next_free([t for t in taken if t], endpoint, rf"{re.escape(endpoint)}-(\d+)", "{base}-{n}")

    @staticmethod
    def _refuse_clashes(s: Session, row: FlowRow, user_id: UUID, fields: dict[str, Any]) -> None:
        """An update may not take a name or endpoint name another of the caller's flows has: 400, as PATCH."""
        if fields.get("endpoint_name") and fields["endpoint_name"] != row.endpoint_name:
            clash = s.exec(select(FlowRow.id).where(FlowRow.user_id == user_id,
                                                    FlowRow.endpoint_name == fields["endpoint_name"])).first()
            if clash is not None:
                raise errors.BadRequest(errors.ENDPOINT_NAME_TAKEN)
        if fields.get("name") and fields["name"] != row.name:
            clash = s.exec(select(FlowRow.id).where(FlowRow.user_id == user_id, FlowRow.name == fields["name"])).first()
            if clash is not None:
                raise errors.BadRequest(errors.NAME_TAKEN)

    def update(self, flow_id: UUID, data: FlowUpdate, *, user_id: UUID, fields: dict[str, Any]) -> FlowRow:
        """PATCH: `fields` are the ones the request set to a value (None never overwrites in 1.13)."""
        with self.db.session() as s:
            row = s.get(FlowRow, flow_id)
            if row is None or row.user_id != user_id:
                raise errors.FlowNotFound()
            self._refuse_clashes(s, row, user_id, fields)
            if "folder_id" in fields and not self._owns_folder(s, user_id, fields["folder_id"]):
                fields = {k: v for k, v in fields.items() if k != "folder_id"}
            for key, value in fields.items():
                setattr(row, key, value)
            if "data" in fields:
                row.version_token = self.ids.uuid()
                row.webhook = row.webhook or has_webhook_component(row.data)
            row.updated_at = self.clock.now()
            s.add(row)
            try:
                s.flush()
            except IntegrityError as exc:  # a concurrent writer took the name first
                raise errors.BadRequest(errors.ENDPOINT_NAME_TAKEN) from exc
            return row

    def upsert(self, flow_id: UUID, data: FlowCreate, *, user_id: UUID, default_folder: UUID) -> tuple[FlowRow, bool]:
        """PUT /flows/{id}: (row, created)."""
        with self.db.session() as s:
            row = s.get(FlowRow, flow_id)
            if row is None:
                created = self._insert(s, data.model_copy(update={"id": flow_id}), user_id=user_id,
                                       default_folder=default_folder)
                return created, True
            if row.user_id != user_id:
                raise errors.FlowNotFound()
            values = data.model_dump(exclude_unset=True, exclude={"id", "user_id", "updated_at"})
            # A name or endpoint name of another of the caller's flows is refused as PATCH refuses it; it used
            # to reach the UNIQUE constraint and fail with a 500.
            self._refuse_clashes(s, row, user_id, values)
            if values.get("folder_id") is not None and not self._owns_folder(s, user_id, values["folder_id"]):
                values.pop("folder_id")  # as PATCH: a folder that is not the caller's is ignored
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = self.clock.now()
            row.version_token = self.ids.uuid()
            s.add(row)
            try:
                s.flush()
            except IntegrityError as exc:  # a concurrent writer took the name first
                raise errors.BadRequest(errors.ENDPOINT_NAME_TAKEN) from exc
            return row, False

    @staticmethod
    def delete(s: Session, flow_ids: Sequence[UUID], *, user_id: UUID) -> list[UUID]:
        """Delete the caller's flows among `flow_ids` (in the caller's transaction); returns the deleted ids."""
        rows = s.exec(select(FlowRow).where(col(FlowRow.id).in_(flow_ids), FlowRow.user_id == user_id)).all()
        for row in rows:
            s.delete(row)
        return [r.id for r in rows]
