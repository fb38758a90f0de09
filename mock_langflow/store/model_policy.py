"""1.13's install-wide approved model provider list (GET/POST/PUT /api/v1/model-provider-policy, the
model_provider_policy table, which each policy bundle revision writes: store/policy_bundle.py), defined here and
imported on the first /models call (Store.model_policy), not at every start (store/models.py LAZY_TABLE_MODULES)."""

from __future__ import annotations

from sqlalchemy import JSON
from sqlmodel import Field

from mock_langflow.schemas import SQLShape
from mock_langflow.store.db import Database
from mock_langflow.store.models import MODEL_PROVIDER_POLICY


class ModelProviderPolicyRow(SQLShape, table=True):
    """Langflow's singleton row: the approved provider ids (empty: every provider) and a version each write adds
    one to."""

    __tablename__ = MODEL_PROVIDER_POLICY

    id: int = Field(default=1, primary_key=True)
    approved_provider_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    version: int = 0


class ModelPolicy:
    def __init__(self, db: Database) -> None:
        self.db = db

    def approved(self) -> frozenset[str]:
        with self.db.session() as s:
            row = s.get(ModelProviderPolicyRow, 1)
        return frozenset(row.approved_provider_ids) if row is not None else frozenset()
