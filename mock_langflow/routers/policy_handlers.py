"""The handlers of 1.13's policy bundle and catalog policy routes (routers/policy.py holds their table): imported,
with their shapes, when one of those routes is first analysed (routing.Later). Superusers only, as a community
install has it; nothing is managed externally there. The rules are store/policy_bundle.py's."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query

from mock_langflow import errors
from mock_langflow.auth import Superuser
from mock_langflow.deps import PageLimit, StateDep
from mock_langflow.schemas.policy import CatalogPolicyBlockedSet, PolicyBundleRollbackWrite, PolicyBundleWrite
from mock_langflow.store.policy_bundle import component_usage

Kind = Literal["component", "template"]


async def read_policy_bundle(_admin: Superuser, state: StateDep) -> dict[str, Any]:
    return state.store.policy_bundle.read()


async def replace_policy_bundle(payload: PolicyBundleWrite, admin: Superuser, state: StateDep) -> dict[str, Any]:
    # Deviation: no integration is loaded in the mock, so no blocked action key is refused as undeclared.
    return state.store.policy_bundle.replace(expected=payload.expected_revision, lists=payload.lists(),
                                             actor=admin.id, reason=payload.reason)


async def read_policy_bundle_history(_admin: Superuser, state: StateDep, limit: PageLimit = 50,
                                     before_revision: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    return state.store.policy_bundle.history(limit=limit, before_revision=before_revision)


async def rollback_policy_bundle(revision: int, payload: PolicyBundleRollbackWrite, admin: Superuser,
                                 state: StateDep) -> dict[str, Any]:
    return state.store.policy_bundle.rollback(revision, expected=payload.expected_revision, actor=admin.id,
                                              reason=payload.reason)


def _blocked(state: StateDep, kind: Kind) -> dict[str, Any]:
    return {"blocked": sorted(state.store.policy_bundle.blocked(f"blocked_{kind}_keys")), "managed_externally": False}


def _replace(state: StateDep, kind: Kind, payload: CatalogPolicyBlockedSet, admin: Superuser) -> dict[str, Any]:
    blocked = state.store.policy_bundle.change(f"blocked_{kind}_keys", payload.blocked, actor=admin.id,
                                               reason=f"Replace blocked {kind} catalog keys")
    return {"blocked": sorted(blocked), "managed_externally": False}


async def get_component_policy(_admin: Superuser, state: StateDep) -> dict[str, Any]:
    return _blocked(state, "component")


async def replace_component_policy(payload: CatalogPolicyBlockedSet, admin: Superuser,
                                   state: StateDep) -> dict[str, Any]:
    return _replace(state, "component", payload, admin)


async def get_template_policy(_admin: Superuser, state: StateDep) -> dict[str, Any]:
    return _blocked(state, "template")


async def replace_template_policy(payload: CatalogPolicyBlockedSet, admin: Superuser,
                                  state: StateDep) -> dict[str, Any]:
    return _replace(state, "template", payload, admin)


async def get_component_usage(_admin: Superuser, state: StateDep) -> dict[str, Any]:
    """Deviation: counted from the flows as stored now (Langflow may serve a scan up to 30 s old), each key as
    stored (Langflow counts a legacy alias under the component it names now)."""
    usage, scanned = component_usage(state.store.db)
    counts: dict[str, int] = {}
    for _, _, keys in usage:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return {"components": dict(sorted(counts.items())), "flows_scanned": scanned}


async def get_component_usage_flows(
        _admin: Superuser, state: StateDep,
        component: Annotated[str, Query(min_length=1, max_length=255,
                                        description="Component key to look up; aliases resolve like catalog "
                                                    "enforcement.")],
        limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    component = component.strip()
    if not component:
        raise errors.UnprocessableEntity(errors.USAGE_COMPONENT_BLANK)
    usage, _ = component_usage(state.store.db)
    matches = sorted(((name, flow_id) for flow_id, name, keys in usage if component in keys),
                     key=lambda match: (match[0].casefold(), str(match[1])))
    return {"component": component, "total": len(matches),
            "flows": [{"id": str(flow_id), "name": name} for name, flow_id in matches[:limit]]}
