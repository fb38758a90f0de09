"""1.13's atomic project replacement (PUT /projects/{id}/replacement-operations/{operation_id}) and its receipts.
Its table is defined here, imported with the first replacement route (Store.replacements), not at every start
(store/models.py LAZY_TABLE_MODULES)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import JSON
from sqlmodel import Field, Session, col, select, update

from mock_langflow import errors
from mock_langflow.profiles import current
from mock_langflow.schemas import SQLShape
from mock_langflow.schemas.deployment import ProjectReplacementRequest, ReplacementFlowCreate
from mock_langflow.schemas.projects import FolderCreate, FolderRead
from mock_langflow.store.flows import Flows, flow_read, has_webhook_component
from mock_langflow.store.models import REPLACEMENT_OPERATIONS, FlowRow, FolderRow
from mock_langflow.store.projects import Projects

if TYPE_CHECKING:
    from mock_langflow.store import Store

# Langflow keeps the newest 10 receipts of a project readable; older ones keep their row and digest, without the
# result (a retry or read of one is a 410).
MAX_RECEIPTS_PER_PROJECT = 10
# A deployment project's name: lowercase letters, digits and inner hyphens, at most 63 characters.
PROJECT_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
NOT_FOUND_CODE = "replacement_project_not_found"
EXPIRED_CODE = "replacement_receipt_expired"


class ReplacementOperationRow(SQLShape, table=True):
    """One committed replacement: its request's digest and its answer, kept per project and operation id. No
    foreign key to the project: a receipt stays readable once the project is gone, as Langflow's does."""

    __tablename__ = REPLACEMENT_OPERATIONS

    project_id: UUID = Field(primary_key=True)
    operation_id: UUID = Field(primary_key=True)
    request_digest: str
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    project_user_id: UUID | None = None
    created_at: datetime


@dataclass(frozen=True)
class Replaced:
    """A replacement's answer (the receipt's result), and the project it made, if it made one."""

    result: dict[str, Any]
    created: FolderRow | None = None


def _not_found() -> errors.MockHTTPError:
    return errors.coded(errors.NotFound, errors.PROJECT_NOT_FOUND, NOT_FOUND_CODE)


def _conflict(detail: str, code: str) -> errors.MockHTTPError:
    return errors.coded(errors.Conflict, detail, code)


def request_digest(body: ProjectReplacementRequest) -> str:
    """The SHA-256 of the body as sent (fields left out stay out), keys sorted, compact; no dependencies and
    empty dependencies are the same body. A lone surrogate, which UTF-8 cannot encode, is Langflow's 422."""
    sent = body.model_dump(mode="json", exclude_unset=True)
    if not body.dependencies:
        sent.pop("dependencies", None)
    text = json.dumps(sent, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    try:
        return hashlib.sha256(text.encode()).hexdigest()
    except UnicodeEncodeError as exc:
        raise errors.coded(errors.UnprocessableEntity, "Request contains invalid Unicode content",
                           "replacement_invalid_unicode") from exc


class Replacements:
    def __init__(self, store: Store) -> None:
        self.store = store

    def receipt(self, project_id: UUID, operation_id: UUID) -> ReplacementOperationRow | None:
        with self.store.db.session() as s:
            return s.get(ReplacementOperationRow, (project_id, operation_id))

    def creates(self, project_id: UUID, operation_id: UUID, body: ProjectReplacementRequest) -> bool:
        """Whether the replacement would make its project (no receipt, no project of that id, a slug to name it):
        its MCP server entry is checked before (and written after) the transaction."""
        name = body.project_name
        with self.store.db.session() as s:
            return (name is not None and PROJECT_SLUG.fullmatch(name) is not None
                    and s.get(FolderRow, project_id) is None
                    and s.get(ReplacementOperationRow, (project_id, operation_id)) is None)

    def read(self, project_id: UUID, operation_id: UUID, *, user_id: UUID) -> dict[str, Any]:
        """GET: the receipt's result as committed, whatever changed since; another user's is not found."""
        row = self.receipt(project_id, operation_id)
        if row is None or row.project_user_id != user_id:
            raise errors.coded(errors.NotFound, errors.REPLACEMENT_NOT_FOUND, "replacement_operation_not_found")
        if row.result is None:
            raise errors.coded(errors.Gone, errors.REPLACEMENT_EXPIRED, EXPIRED_CODE)
        return row.result

    def replace(self, project_id: UUID, operation_id: UUID, body: ProjectReplacementRequest, *, user_id: UUID,
                auth_settings: dict[str, Any] | None, blocked: frozenset[str] = frozenset()) -> Replaced:
        """Replace the project's flows with the body's, in one transaction with the receipt: any refusal leaves
        the project as it was. A retry of a committed operation with the same body answers its receipt; with
        another body it is a 409. `auth_settings`: a project the body creates gets them (its MCP server's).
        `blocked`: the components 1.13's catalog policy blocks, which a flow's graph using is a 400 naming them,
        after the other refusals."""
        digest = request_digest(body)
        with self.store.db.session() as s:
            kept = s.get(ReplacementOperationRow, (project_id, operation_id))
            if kept is not None:
                if kept.project_user_id != user_id:
                    raise _not_found()
                if kept.result is None:
                    raise errors.coded(errors.Gone, errors.REPLACEMENT_EXPIRED, EXPIRED_CODE)
                if kept.request_digest != digest:
                    raise _conflict("Operation ID already used with a different request",
                                    "replacement_operation_id_conflict")
                return Replaced(kept.result)
            ids = [flow.id for flow in body.flows]
            if len(set(ids)) != len(ids):
                raise errors.coded(errors.UnprocessableEntity, "Flow ids must be unique",
                                   "replacement_duplicate_flow_ids")
            project, created = self._project(s, project_id, body, user_id=user_id, auth_settings=auth_settings)
            flows = self._checked_flows(s, project, body)
            if blocked:
                from mock_langflow.store.policy_bundle import refuse

                refuse((flow.data for flow in body.flows), blocked)
            project.description = body.description
            s.add(project)
            rows = self._write_flows(s, project, flows, body.flows)
            result = {"project": FolderRead.model_validate(project, from_attributes=True)
                      .model_copy(update={"auth_settings": None}).model_dump(mode="json"),
                      "flows": [flow_read(row).model_dump(mode="json") for row in rows],
                      "dependencies": body.dependencies}  # opaque: kept for the deploy's own control plane
            s.add(ReplacementOperationRow(project_id=project_id, operation_id=operation_id, request_digest=digest,
                                          result=result, project_user_id=user_id,
                                          created_at=self.store.flows.clock.now()))
            s.flush()
            self._prune(s, project_id, operation_id)
        return Replaced(result, project if created else None)

    def _project(self, s: Session, project_id: UUID, body: ProjectReplacementRequest, *, user_id: UUID,
                 auth_settings: dict[str, Any] | None) -> tuple[FolderRow, bool]:
        """The project to replace, made from `project_name` when no project has that id; (it, made)."""
        project = s.get(FolderRow, project_id)
        if project is not None and project.user_id != user_id:
            raise _not_found()
        name = body.project_name
        if name is not None and not PROJECT_SLUG.fullmatch(name):
            raise errors.coded(errors.UnprocessableEntity, errors.REPLACEMENT_SLUG, "replacement_invalid_project_name")
        if project is not None:
            if name is not None:  # a create that finds the project there already: not adopted
                raise _conflict("Project already exists", "replacement_project_already_exists")
            if not PROJECT_SLUG.fullmatch(project.name):  # only deployment projects are replaced
                raise _not_found()
            return project, False
        if name is None:
            raise _not_found()
        if len({flow.workspace_id for flow in body.flows if flow.workspace_id is not None}) > 1:
            raise _conflict("Flows span multiple workspaces", "replacement_flows_span_multiple_workspaces")
        if Projects._taken(s, user_id, name, None):
            raise _conflict("Project name must be unique", "replacement_project_name_conflict")
        data = FolderCreate(name=name, description=body.description, auth_settings=auth_settings)
        return self.store.projects.insert(s, data, user_id=user_id, project_id=project_id, numbered=False), True

    @staticmethod
    def _checked_flows(s: Session, project: FolderRow, body: ProjectReplacementRequest) -> list[FlowRow]:
        """The refusals Langflow makes before it writes, in its order; the project's flows as they are."""
        for flow in body.flows:
            if flow.folder_id is not None and flow.folder_id != project.id:
                raise _conflict("Flow folder_id does not match project", "replacement_flow_folder_mismatch")
            if flow.workspace_id is not None:  # the mock's projects are in no workspace
                raise _conflict("Flow workspace_id does not match project", "replacement_flow_workspace_mismatch")
        existing = list(s.exec(select(FlowRow).where(FlowRow.folder_id == project.id)).all())
        if any(row.user_id != project.user_id for row in existing):
            raise _conflict("Project contains flows outside the project owner's scope",
                            "replacement_flows_outside_owner_scope")
        if any(row.fs_path for row in existing) or any(flow.fs_path for flow in body.flows):
            raise _conflict("Atomic replacement does not support filesystem-backed flows",
                            "replacement_filesystem_flows_unsupported")
        ours = {row.id for row in existing}
        ids = [flow.id for flow in body.flows]
        if ids and any(i not in ours for i in s.exec(select(FlowRow.id).where(col(FlowRow.id).in_(ids))).all()):
            raise _conflict("Flow id belongs to another project", "replacement_flow_belongs_to_another_project")
        names = [flow.name for flow in body.flows]
        endpoints = [flow.endpoint_name for flow in body.flows if flow.endpoint_name]
        if len(set(names)) != len(names) or len(set(endpoints)) != len(endpoints):
            raise _conflict("Flow names and endpoint names must be unique", "replacement_duplicate_flow_names")
        for column, values, detail, code in (
                (FlowRow.name, names, errors.NAME_TAKEN, "replacement_flow_name_conflict"),
                (FlowRow.endpoint_name, endpoints, errors.ENDPOINT_NAME_TAKEN, "replacement_endpoint_name_conflict")):
            if values and s.exec(select(FlowRow.id).where(FlowRow.user_id == project.user_id,
                                                          col(column).in_(values),
                                                          col(FlowRow.id).not_in(ours))).first() is not None:
                raise _conflict(detail, code)
        return existing

    def _write_flows(self, s: Session, project: FolderRow, existing: list[FlowRow],
                     wanted: list[ReplacementFlowCreate]) -> list[FlowRow]:
        """Delete the project's flows the body leaves out (with what they leave behind, as a flow's deletion does),
        update those it keeps in place, make the new ones; the kept flows first take names of their own, so that
        the body may swap names and endpoint names between them. A locked flow the body changes is a 423 after the
        deletions, which the transaction's rollback then undoes, as in Langflow."""
        store, flows = self.store, self.store.flows
        by_id = {row.id: row for row in existing}
        wanted_ids = {flow.id for flow in wanted}
        stale = [row.id for row in existing if row.id not in wanted_ids]
        if stale:
            Flows.delete(s, stale, user_id=project.user_id)
            store.delete_flow_data(s, stale, files=False)
        kept = [by_id[flow.id] for flow in wanted if flow.id in by_id]
        persisted = {row.id: (row.name, row.endpoint_name) for row in kept}
        interim = flows.ids.uuid().hex
        for row in kept:
            row.name, row.endpoint_name = f"__lf_replace_{interim}_{row.id.hex}", f"lf_replace_{interim}_{row.id.hex}"
            s.add(row)
        s.flush()
        rows = []
        for flow in wanted:
            row = by_id.get(flow.id)
            if row is None:
                made = flow.model_copy(update={"webhook": has_webhook_component(flow.data)})
                rows.append(flows.insert(s, made, user_id=project.user_id, default_folder=project.id,
                                         folder_override=project.id, rename=False, clash=errors.Conflict))
                continue
            name, endpoint = persisted[row.id]
            # Langflow's update with explicit nulls kept: a field sent as null is stored as null; one left out
            # keeps its value (the endpoint name too)
            values = flow.model_dump(exclude_unset=True, exclude={"id", "user_id", "updated_at", "workspace_id"})
            values.setdefault("endpoint_name", endpoint)
            values["folder_id"] = project.id
            # the flow as stored, before its interim names, for the guard of a locked flow
            before = SimpleNamespace(**{**{key: getattr(row, key, None) for key in values},
                                        "locked": row.locked, "name": name, "endpoint_name": endpoint})
            Flows.refuse_locked(before, values, current().flows)
            values["webhook"] = has_webhook_component(values.get("data", row.data))
            if "data" in values and values["data"] != row.data:
                values["version_token"] = flows.ids.uuid()
            rows.append(flows.write(s, row, values, errors.Conflict(errors.NAME_TAKEN)))
        return rows

    @staticmethod
    def _prune(s: Session, project_id: UUID, operation_id: UUID) -> None:
        """Clear the results of the project's receipts past the newest MAX_RECEIPTS_PER_PROJECT (the row stays)."""
        older = s.exec(select(ReplacementOperationRow.operation_id)
                       .where(ReplacementOperationRow.project_id == project_id)
                       .order_by(col(ReplacementOperationRow.created_at).desc(),
                                 col(ReplacementOperationRow.operation_id).desc())
                       .offset(MAX_RECEIPTS_PER_PROJECT)).all()
        stale = [i for i in older if i != operation_id]
        if stale:
            s.exec(update(ReplacementOperationRow)
                   .where(col(ReplacementOperationRow.project_id) == project_id,
                          col(ReplacementOperationRow.operation_id).in_(stale))
                   .values(result=None))
