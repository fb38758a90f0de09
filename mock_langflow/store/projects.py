"""Projects (Langflow's folders): each user's default project, the examples' folder, create/move/delete."""

from __future__ import annotations

import re
from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import literal_column
from sqlmodel import Session, col, delete, select, update

from mock_langflow import errors
from mock_langflow.clock import Clock, Ids
from mock_langflow.schemas.projects import FolderCreate, FolderUpdate
from mock_langflow.store.db import Database
from mock_langflow.store.flows import first_unused
from mock_langflow.store.models import FlowRow, FolderRow
from mock_langflow.store.sealing import Sealer

DEFAULT_PROJECT_NAME = "Starter Project"
DEFAULT_PROJECT_DESCRIPTION = "Manage your own flows. Download and upload projects."
EXAMPLES_FOLDER_NAME = "Starter Projects"
EXAMPLES_FOLDER_DESCRIPTION = "Example flows shipped with the server."
ROWID = literal_column("folder.rowid")
PAGE_DEFAULT = select(FolderRow.id).where(FolderRow.name == DEFAULT_PROJECT_NAME).order_by(ROWID).limit(1)
EXAMPLES = (col(FolderRow.user_id).is_(None), FolderRow.name == EXAMPLES_FOLDER_NAME)  # the examples' folder


class Projects:
    def __init__(self, db: Database, ids: Ids, clock: Clock, sealer: Sealer, *, default_fallback: str = "any",
                 name_numbers: str = "skip") -> None:
        self.db, self.ids, self.clock, self.sealer = db, ids, clock, sealer
        self.default_fallback, self.name_numbers = default_fallback, name_numbers

    def default_for(self, user_id: UUID) -> FolderRow:
        """The user's default project, made on first need: the one named "Starter Project"; without one (renamed
        or deleted), in 1.13 the user's project with the lowest id, as its get_or_create_default_folder keeps a
        user who has projects from getting the default back (profile projects.default_fallback), else a new
        one."""
        with self.db.session() as s:
            row = s.exec(select(FolderRow).where(FolderRow.user_id == user_id,
                                                 FolderRow.name == DEFAULT_PROJECT_NAME)).first()
            if row is None and self.default_fallback == "any":
                row = s.exec(select(FolderRow).where(FolderRow.user_id == user_id)
                             .order_by(col(FolderRow.id)).limit(1)).first()
            if row is None:
                row = FolderRow(id=self.ids.uuid(), name=DEFAULT_PROJECT_NAME,
                                description=DEFAULT_PROJECT_DESCRIPTION, user_id=user_id)
                s.add(row)
            return row

    def starter_of(self, user_id: UUID) -> UUID | None:
        """The user's project named "Starter Project", if there is one (never made): where 1.7.1 puts a flow
        created without a folder."""
        with self.db.session() as s:
            return s.exec(select(FolderRow.id).where(FolderRow.user_id == user_id,
                                                     FolderRow.name == DEFAULT_PROJECT_NAME)).first()

    def default_if_needed(self, folder_ids: Iterable[UUID | None], *, user_id: UUID) -> UUID | None:
        """The user's default project (default_for, so made if it must be) when a flow write names no folder or
        one that is not the user's, as Langflow looks the default up only then; None (nothing made) when every
        folder named is the user's own."""
        wanted = set(folder_ids)
        if None not in wanted:
            with self.db.session() as s:
                own = set(s.exec(select(FolderRow.id).where(col(FolderRow.id).in_(wanted),
                                                            FolderRow.user_id == user_id)).all())
            if own == wanted:
                return None
        return self.default_for(user_id).id

    def usable(self, folder_id: UUID | None, *, user_id: UUID, anyones: bool = False) -> bool:
        """Whether a flow of the user's may be in that project: one of the user's own (with `anyones`, any
        user's)."""
        if folder_id is None:
            return False
        with self.db.session() as s:
            row = s.get(FolderRow, folder_id)
        return row is not None and (row.user_id == user_id or anyones and row.user_id is not None)

    def page_default(self) -> UUID | None:
        """The project a page of flows (GET /flows/?get_all=false) holds when the request names none. Langflow
        looks it up by name alone, with no owner: the first project named "Starter Project", whoever owns it."""
        with self.db.engine.connect() as conn:  # a Core read: folders are never among the deferred writes
            found: UUID | None = conn.execute(PAGE_DEFAULT).scalar()
            return found

    def examples_folder_id(self) -> UUID | None:
        """The examples' folder, without making it (a read)."""
        with self.db.session() as s:
            return s.exec(select(FolderRow.id).where(*EXAMPLES)).first()

    def examples_folder(self) -> FolderRow:
        with self.db.session() as s:
            row = s.exec(select(FolderRow).where(*EXAMPLES)).first()
            if row is None:
                row = FolderRow(id=self.ids.uuid(), name=EXAMPLES_FOLDER_NAME,
                                description=EXAMPLES_FOLDER_DESCRIPTION, user_id=None)
                s.add(row)
            return row

    def list(self, user_id: UUID, *, by_name: bool = False) -> list[FolderRow]:
        """A user's projects in the order they were made, or `by_name` (byte order), the order Langflow's list
        reads them in: its query walks the (user_id, name) unique index."""
        with self.db.session() as s:
            return list(s.exec(select(FolderRow).where(FolderRow.user_id == user_id)
                               .order_by(col(FolderRow.name) if by_name else ROWID)).all())

    def find(self, project_id: UUID) -> FolderRow | None:
        """The project of that id, whoever owns it (PUT tells another user's project from a free id)."""
        with self.db.session() as s:
            return s.get(FolderRow, project_id)

    def get(self, project_id: UUID, *, user_id: UUID) -> FolderRow:
        with self.db.session() as s:
            row = s.get(FolderRow, project_id)
        if row is None or row.user_id != user_id:
            raise errors.ProjectNotFound()
        return row

    def _free_name(self, s: Session, user_id: UUID, name: str) -> str:
        """As Langflow's create: `name` if the user has no project of that exact name; else one past the highest
        "(n)" ending any of the user's project names that start with `name` (SQL LIKE: ASCII case ignored), so
        "Proj" next to "Proj" and "Project (5)" is "Proj (6)"; "(1)" when none has a number. Before 1.13
        (profile projects.name_numbers "strict") `%` and `_` in `name` are LIKE wildcards, and a parenthesis
        holding no number fails the create."""
        if not Projects._taken(s, user_id, name, None):
            return name
        strict = self.name_numbers == "strict"
        pattern = name if strict else re.sub(r"([\\%_])", r"\\\1", name)
        like = col(FolderRow.name).like(f"{pattern}%") if strict else col(FolderRow.name).like(f"{pattern}%",
                                                                                                escape="\\")
        numbers = []
        for taken in s.exec(select(FolderRow.name).where(FolderRow.user_id == user_id, like)).all():
            if "(" in taken:
                inside = taken.split("(")[-1].split(")")[0]
                try:
                    numbers.append(int(inside))
                except ValueError as exc:
                    if strict:  # Deliberate: 1.8's create reports the int() failure as its 500
                        raise errors.ServerError(str(exc)) from exc
        return f"{name} ({max(numbers) + 1})" if numbers else f"{name} (1)"

    def free_name(self, user_id: UUID, name: str) -> str:
        """The name a project the user creates as `name` gets (see _free_name)."""
        with self.db.session() as s:
            return self._free_name(s, user_id, name)

    def upload_name(self, user_id: UUID, name: str) -> str:
        """The name an uploaded project gets, as Langflow's upload numbers it: `name`, else the first of
        "Name (1)", "Name (2)"... that the user does not use (unlike a create, a gap is filled), looked for among
        the user's project names, read in one query."""
        with self.db.session() as s:
            return first_unused(name, set(s.exec(select(FolderRow.name).where(FolderRow.user_id == user_id)).all()))

    def name_taken(self, user_id: UUID, name: str, *, other_than: UUID | None) -> bool:
        """Whether another project of the user is called `name` (a rename to it is a 409)."""
        with self.db.session() as s:
            return self._taken(s, user_id, name, other_than)

    @staticmethod
    def _taken(s: Session, user_id: UUID, name: str, other_than: UUID | None) -> bool:
        query = select(FolderRow.id).where(FolderRow.user_id == user_id, FolderRow.name == name)
        if other_than is not None:
            query = query.where(FolderRow.id != other_than)
        return s.exec(query).first() is not None

    def create(self, data: FolderCreate, *, user_id: UUID, project_id: UUID | None = None,
               anyones: bool = False) -> FolderRow:
        with self.db.session() as s:
            return self.insert(s, data, user_id=user_id, project_id=project_id, anyones=anyones)

    def insert(self, s: Session, data: FolderCreate, *, user_id: UUID, project_id: UUID | None = None,
               numbered: bool = True, anyones: bool = False) -> FolderRow:
        """A new project in session `s` (with id `project_id` when given); unless `numbered` is False (a name
        already chosen), a name its owner uses becomes "Name (1)" (see _free_name). The flows of the body's
        flows_list and components_list move into it: the owner's, or with `anyones` (before 1.13, whose create
        moves by id alone) any flow of those ids, an example included."""
        name = self._free_name(s, user_id, data.name) if numbered else data.name
        row = FolderRow(id=project_id or self.ids.uuid(), name=name,
                        description=data.description, auth_settings=self.sealer.created(data.auth_settings),
                        user_id=user_id)
        s.add(row)
        s.flush()
        self._move(s, None if anyones else user_id, row.id, [*(data.flows_list or []), *(data.components_list or [])])
        return row

    @staticmethod
    def _move(s: Session, user_id: UUID | None, folder_id: UUID, flow_ids: list[UUID]) -> None:
        """Move the flows of these ids into the folder: `user_id`'s only, or (None) whoever's."""
        if not flow_ids:
            return
        query = select(FlowRow).where(col(FlowRow.id).in_(flow_ids))
        if user_id is not None:
            query = query.where(FlowRow.user_id == user_id)
        for flow in s.exec(query).all():
            flow.folder_id = folder_id
            s.add(flow)

    def update(self, project_id: UUID, data: FolderUpdate, *, user_id: UUID, evict_others: bool = False,
               parent_check: bool = True) -> FolderRow:
        """`evict_others` (before 1.13): the flows in the project that are not the owner's, which that update
        counts as left out of the body's list, go to the first project named "Starter Project", whoever's.
        `parent_check` (1.13): a parent must be one of the owner's projects; before, any id is stored as sent
        (Langflow's SQLite enforces no foreign key)."""
        with self.db.session() as s:
            row = s.get(FolderRow, project_id)
            if row is None or row.user_id != user_id:
                raise errors.ProjectNotFound()
            # As Langflow's update: a taken name is 409 (no "(1)", unlike create), a parent must be one of the
            # owner's projects (1.13), and the body's flows and components lists are replaced by what the project
            # holds, so a PATCH never moves a flow of the owner's (a flow moves by its own PATCH, folder_id).
            if data.name and data.name != row.name:
                if self._taken(s, user_id, data.name, row.id):
                    raise errors.Conflict(errors.PROJECT_NAME_TAKEN)
                row.name = data.name
            if data.description is not None:
                row.description = data.description
            if data.parent_id is not None and parent_check:
                parent = s.get(FolderRow, data.parent_id)
                if parent is None or parent.user_id != user_id:
                    raise errors.NotFound(errors.PARENT_PROJECT_NOT_FOUND)
            if data.parent_id is not None:
                row.parent_id = data.parent_id
            if "auth_settings" in data.model_fields_set:  # null clears them
                row.auth_settings = self.sealer.replaced(row.auth_settings, data.auth_settings)
            s.add(row)
            target = s.exec(PAGE_DEFAULT).first() if evict_others else None
            if target is not None:
                s.exec(update(FlowRow).where(col(FlowRow.folder_id) == row.id, col(FlowRow.user_id) != user_id)
                       .values(folder_id=target))
            return row

    @staticmethod
    def delete(s: Session, project_id: UUID, *, user_id: UUID) -> list[UUID]:
        """Delete a project and the flows in it (in the caller's transaction); returns the flows' ids. Its
        sub-projects stay, with no parent: Langflow's ORM sets their parent_id to null when the parent goes."""
        row = s.get(FolderRow, project_id)
        if row is None or row.user_id != user_id:
            raise errors.ProjectNotFound()
        mine = (FlowRow.folder_id == row.id, FlowRow.user_id == user_id)
        flows = list(s.exec(select(FlowRow.id).where(*mine)).all())  # ids, not graphs
        s.exec(delete(FlowRow).where(*mine))
        Projects.detach_flows(s, [row.id])
        s.exec(update(FolderRow).where(col(FolderRow.parent_id) == row.id).values(parent_id=None))
        s.delete(row)
        return flows

    @staticmethod
    def detach_flows(s: Session, folder_ids: list[UUID]) -> None:
        """Before these projects go: the flows still in them, other users' (1.7.1 moves a flow into anyone's
        project), are left in no project. Langflow deletes only the owner's flows and leaves the others naming
        the project that is gone; the mock's database keeps no such dangling reference."""
        if folder_ids:
            s.exec(update(FlowRow).where(col(FlowRow.folder_id).in_(folder_ids)).values(folder_id=None))
