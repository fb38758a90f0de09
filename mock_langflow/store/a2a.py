"""1.13's A2A tasks (its a2a_tasks table) and their push notification configs, per caller scope (`owner`:
"<flow id>:<principal id>", as Langflow scopes its task store). Their tables are defined here, imported on the
first A2A call (Store.a2a), not at every start (store/models.py LAZY_TABLE_MODULES)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, col, delete, select, update

from mock_langflow.clock import Clock
from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import Database
from mock_langflow.store.models import A2A_PUSH_CONFIGS, A2A_TASKS

TERMINAL_STATES = frozenset({"completed", "canceled", "failed", "rejected"})


class A2ATaskRow(SQLShape, table=True):
    """One A2A task (1.13's a2a_tasks): the task as its JSON-RPC answers show it, kept per flow and principal
    (`owner` is "<flow id>:<principal id>", as Langflow scopes its task store), so tasks/get reads it back."""

    __tablename__ = A2A_TASKS

    id: str = Field(primary_key=True)
    owner: str = Field(default="", primary_key=True)
    task: dict[str, Any] = Field(sa_type=JSON)
    # A task waiting for a person (input-required): what its run goes on from once answered (the graph, what it
    # built, the decisions, the pending request), as 1.13's a2a_checkpoints row keyed by the task's run
    # (None is SQL NULL, not JSON null: claim_checkpoint's conditional update tells a taken checkpoint by it)
    checkpoint: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    created_at: datetime | None = None
    updated_at: datetime | None = None


class A2APushConfigRow(SQLShape, table=True):
    """A webhook an A2A task's events are POSTed to (tasks/pushNotificationConfig/set, or a message's
    configuration), set by a caller (`owner`, as A2ATaskRow's) for a task, in the order they were set (`seq`).
    1.13 keeps them in its process's memory: a server's start forgets them (Store.forget_a2a_push_configs)."""

    __tablename__ = A2A_PUSH_CONFIGS

    seq: int | None = Field(default=None, primary_key=True)
    owner: str
    task_id: str = Field(index=True)
    config_id: str
    config: dict[str, Any] = Field(sa_type=JSON)


class A2ATasks:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    def save(self, owner: str, task: dict[str, Any], *, create: bool = False) -> None:
        """Write the task's row, as 1.13's durable store does at each of the run's steps (`create`: the first,
        which makes it; a row gone since, with a reset of the flows, is not made again); a task that has ended
        keeps the state it ended in (a later save of another state is ignored)."""
        now = self.clock.now()
        with self.db.session() as s:
            row = s.get(A2ATaskRow, (task["id"], owner))
            if row is None:
                if not create:
                    return
                s.add(A2ATaskRow(id=task["id"], owner=owner, task=task, created_at=now, updated_at=now))
            elif (row.task["status"]["state"] in TERMINAL_STATES
                  and task["status"]["state"] != row.task["status"]["state"]):
                return
            else:
                row.task, row.updated_at = task, now
                s.add(row)
            s.commit()

    def load(self, owner: str, task_id: str) -> dict[str, Any] | None:
        with self.db.session() as s:
            row = s.get(A2ATaskRow, (task_id, owner))
        return copy.deepcopy(row.task) if row is not None else None

    def park(self, owner: str, task_id: str, checkpoint: dict[str, Any]) -> None:
        """Keep what the task's paused run goes on from (in place of an earlier pause's)."""
        with self.db.session() as s:
            row = s.get(A2ATaskRow, (task_id, owner))
            if row is not None:
                row.checkpoint = checkpoint
                s.add(row)
                s.commit()

    def checkpoint(self, owner: str, task_id: str) -> dict[str, Any] | None:
        with self.db.session() as s:
            row = s.get(A2ATaskRow, (task_id, owner))
            return copy.deepcopy(row.checkpoint) if row is not None and row.checkpoint is not None else None

    def claim_checkpoint(self, owner: str, task_id: str) -> bool:
        """Take the task's checkpoint away: True for the one caller that did it, as 1.13's conditional DELETE
        lets exactly one answer run the chosen branch (also what a cancel does, its result unused)."""
        with self.db.session() as s:
            result = s.exec(update(A2ATaskRow).where(col(A2ATaskRow.id) == task_id, col(A2ATaskRow.owner) == owner,
                                                     col(A2ATaskRow.checkpoint).is_not(None))
                            .values(checkpoint=None))
            s.commit()
            return bool(result.rowcount == 1)

    def set_push_config(self, owner: str, task_id: str, config: dict[str, Any]) -> None:
        """Keep the webhook config for the task, in place of the one with its id, as the last one set."""
        with self.db.session() as s:
            s.exec(_push_rows(delete(A2APushConfigRow), owner, task_id, config["id"]))
            s.add(A2APushConfigRow(owner=owner, task_id=task_id, config_id=config["id"], config=config))
            s.commit()

    def push_configs(self, task_id: str, owner: str | None = None) -> list[dict[str, Any]]:
        """The task's push configs in the order they were set (a config set again goes last), those `owner` set
        or (None) everyone's."""
        with self.db.session() as s:
            statement = _push_rows(select(A2APushConfigRow.config), owner, task_id).order_by(
                col(A2APushConfigRow.seq))
            return [dict(config) for config in s.exec(statement).all()]

    def delete_push_config(self, owner: str, task_id: str, config_id: str) -> None:
        with self.db.session() as s:
            s.exec(_push_rows(delete(A2APushConfigRow), owner, task_id, config_id))
            s.commit()



def _push_rows(statement: Any, owner: str | None, task_id: str, config_id: str | None = None) -> Any:
    """The statement narrowed to the task's push configs: those `owner` set (anyone's for None), or the one with
    `config_id`."""
    statement = statement.where(A2APushConfigRow.task_id == task_id)
    if owner is not None:
        statement = statement.where(A2APushConfigRow.owner == owner)
    if config_id is not None:
        statement = statement.where(A2APushConfigRow.config_id == config_id)
    return statement
