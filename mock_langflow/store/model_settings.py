"""A user's model settings as Langflow's /models and /model_options routes keep and read them: which models are
switched on or off (the Generic variables __enabled_models__ and __disabled_models__, JSON lists), the default
language and embedding model (__default_language_model__, __default_embedding_model__, JSON objects), and which
providers count as configured (their required variables are stored). Everything is in the user's variables, so it
outlives a restart of a kept data dir like any variable; the catalog is model_catalog.py's."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlmodel import Session, select

from mock_langflow import errors
from mock_langflow.model_catalog import (
    STATUS_TYPES,
    ModelCatalog,
    ProviderPolicy,
    catalog_for,
    parse_status_key,
    status_contains,
    status_key,
)
from mock_langflow.store.models import VariableRow
from mock_langflow.store.provider_check import (
    OLLAMA_URL,
    WATSONX_KEY,
    Check,
    SsrfPolicy,
    provider_value_refusal,
)
from mock_langflow.store.users import CREDENTIAL, GENERIC, Users

DISABLED_MODELS = "__disabled_models__"
ENABLED_MODELS = "__enabled_models__"
DEFAULT_MODEL = {"language": "__default_language_model__", "embedding": "__default_embedding_model__"}
MAX_BATCH = 100
PLACEHOLDER = "dummy"  # 1.13 reads a provider's environment variable set to this as unset


def provider_refusal(provider: str, values: dict[str, str], check: Check, *, ssrf: SsrfPolicy) -> str | None:
    """The error Langflow's check of a provider's settings (`values`, by variable name) gives before it would
    reach the provider (POST /models/validate-provider, enabling a model), or None: the provider is taken as
    accepting them. Ollama needs a base URL (then checked as when stored); 1.13's WatsonX check guards its URL
    and its Azure AI Foundry check refuses everything (a package langflow-base lacks)."""
    if check == "none":
        return None
    if provider == "Ollama":
        url = values.get(OLLAMA_URL)
        return provider_value_refusal(OLLAMA_URL, url, check, stored=values.get, ssrf=ssrf) if url \
            else errors.OLLAMA_URL_INVALID
    if check == "connector" and provider == "Azure AI Foundry":
        return errors.AZURE_AI_FOUNDRY_UNCHECKABLE
    if check == "connector" and provider == "IBM WatsonX":
        return provider_value_refusal(WATSONX_KEY, values.get(WATSONX_KEY), check, stored=values.get, ssrf=ssrf)
    return None


def check_policy_scope(state: Any, user_id: UUID, flow_id: UUID | None, project_id: UUID | None) -> None:
    """1.13's provider policy scope (resolve_provider_policy_attributes): a flow or a project of the caller's, not
    both; the OSS policies decide the same whatever the scope."""
    if flow_id is not None and project_id is not None:
        raise errors.UnprocessableEntity(errors.FLOW_OR_PROJECT)
    if flow_id is not None:
        state.store.flows.get(flow_id, user_id=user_id)
    elif project_id is not None:
        state.store.projects.get(project_id, user_id=user_id)


class ModelSettings:
    def __init__(self, users: Users, catalog: ModelCatalog, *, approved: frozenset[str] = frozenset(),
                 blocked: frozenset[str] = frozenset(), check: Check = "none", ssrf: SsrfPolicy | None = None) -> None:
        """`approved`: 1.13's install-wide approved provider ids (empty: every provider); `blocked`: its blocked
        model keys. `check`, `ssrf`: how the release checks a provider's settings (profile
        variables.provider_check)."""
        self.users, self.catalog, self.approved, self.blocked = users, catalog, approved, blocked
        self.check, self.ssrf = check, ssrf or SsrfPolicy()
        self.purpose: str | None = None  # 1.13: the purpose a read names (check_scope)

    @classmethod
    def of(cls, state: Any) -> ModelSettings:
        """The release's catalog over the app's store, with 1.13's approved providers and blocked models (the
        policy bundle's lists, as the runs read them: Store.model_policy_lists)."""
        profile, store = state.profile, state.store
        catalog = catalog_for(profile.models.catalog, profile.models.dialect)
        approved, blocked = (store.model_policy_lists() if catalog.policy else None) or (frozenset(), frozenset())
        return cls(store.users, catalog, approved=approved, blocked=blocked, check=profile.variables.provider_check,
                   ssrf=store.users.ssrf)

    def check_scope(self, state: Any, query: dict[str, str], user_id: UUID) -> ModelSettings:
        """1.13's policy scope of a /models call: `purpose` ('use' or 'configure') and a flow or a project of the
        caller's (not both); the OSS policy decides the same whatever the scope. 1.8 has none of these."""
        if not self.catalog.policy:
            return self
        from mock_langflow.schemas.model_bodies import PolicyScope, checked

        scope = checked(PolicyScope, {k: v for k, v in query.items() if k in ("purpose", "flow_id", "project_id")},
                        "query")
        check_policy_scope(state, user_id, scope.flow_id, scope.project_id)
        self.purpose = scope.purpose
        return self

    def descriptors(self, *, allowed_only: bool = True) -> list[dict[str, str]]:
        """The providers' ids and display names, by display name (the policy's list: every provider). Langflow
        adds those of its standalone model components; langflow-base's own components have none."""
        catalog = self.catalog
        found = [{"provider_id": catalog.resolve_id(p), "display_name": catalog.display_name(p), "provider": p}
                 for p in catalog.metadata if not allowed_only or self.allows(p)]
        return sorted(found, key=lambda d: (d["display_name"].casefold(), d["provider_id"]))

    def policy(self) -> dict[str, Any]:
        """GET /model-provider-policy's answer."""
        return {"approved_provider_ids": sorted(self.approved),
                "registered_providers": self.descriptors(allowed_only=False), "managed_externally": False}

    # -- the provider policy (1.13) ------------------------------------------------------------------------------

    def allows(self, provider: str) -> bool:
        """1.13's OSS policy: a provider it knows, within the approved list when there is one (1.8: any)."""
        if not self.catalog.policy:
            return True
        provider_id = self.catalog.resolve_id(provider) if provider.strip() else ""
        return provider_id in self.catalog.known_ids and (not self.approved or provider_id in self.approved)

    def require(self, provider: str) -> None:
        if not self.allows(provider):
            raise errors.NotFound(errors.MODEL_PROVIDER_NOT_FOUND)

    def variable_provider(self, name: str) -> str | None:
        """The provider declaring a variable of that name (1.13's get_provider_from_variable_name)."""
        return next((p for p in self.catalog.providers()
                     if any(v.get("variable_key") == name for v in self.catalog.variables(p))), None)

    def shows_variable(self, name: str) -> bool:
        provider = self.variable_provider(name)
        return provider is None or self.allows(provider)

    def require_variable(self, name: str) -> None:
        if not self.shows_variable(name):
            raise errors.NotFound(errors.MODEL_PROVIDER_NOT_FOUND)

    # -- the variables (Langflow's variable service, as these routes use it) --------------------------------------

    @staticmethod
    def _first_named(s: Session, user_id: UUID, name: str) -> VariableRow | None:
        """The user's first variable of that name: the one Langflow's variable service finds by name."""
        return s.exec(select(VariableRow).where(VariableRow.user_id == user_id, VariableRow.name == name)).first()

    def variable_names(self, user_id: UUID, *, with_value: bool) -> set[str]:
        """The user's variable names: all of them (1.8's list of everything), or (1.13) those holding a usable
        value (a Credential's decrypting to text)."""
        with self.users.db.session() as s:
            rows = s.exec(select(VariableRow).where(VariableRow.user_id == user_id)).all()
        return {r.name for r in rows if not with_value or self.users._variable_read(r).has_value}

    def stored_text(self, user_id: UUID, name: str) -> str | None:
        """The value of the user's first variable of that name, as stored, when it has one (Langflow's
        get_variable_object finds no variable without a value)."""
        with self.users.db.session() as s:
            row = self._first_named(s, user_id, name)
        return row.value if row is not None and row.value else None

    def provider_values(self, user_id: UUID, names: Iterable[str]) -> dict[str, str]:
        """A provider's settings as lfx reads them for its model options and checks: the user's variable (a
        Credential decrypted; one that does not decrypt, as stored) when it reads as text, else the server's
        environment variable of that name when not blank (1.13: nor 'dummy')."""
        placeholder = PLACEHOLDER if self.catalog.policy else None
        out: dict[str, str] = {}
        with self.users.db.session() as s:
            for name in names:
                row = self._first_named(s, user_id, name)
                value = (self.users.sealer.opened(row.value) if row.type == CREDENTIAL else row.value) \
                    if row is not None and row.value else None
                if not (value and value.strip()):
                    env = os.environ.get(name)
                    value = env if env and env.strip() and env.strip() != placeholder else None
                if value:
                    out[name] = value
        return out

    def put_generic(self, user_id: UUID, name: str, value: str | None) -> None:
        """Langflow's model routes' write of a setting: the user's first variable of that name, when it has a
        value, gets `value` and becomes Generic (the user's own), or is deleted for None; else (none found) a
        new Generic variable is made for a value."""
        users = self.users
        users.variables_changed = True
        with users.db.session() as s:
            row = self._first_named(s, user_id, name)
            if row is not None and row.value and value is None:
                s.delete(row)
            elif row is not None and row.value:
                row.value, row.type, row.environment_managed = value, GENERIC, False
                row.updated_at = users.clock.now()
                s.add(row)
            elif value is not None:
                s.add(VariableRow(id=users.ids.uuid(), name=name, type=GENERIC, value=value, default_fields=[],
                                  user_id=user_id, created_at=users.clock.now(), environment_managed=False))

    # -- stored settings -----------------------------------------------------------------------------------------

    def status_list(self, user_id: UUID, name: str) -> set[str]:
        """A model status list: its strings, or nothing when the value is not a JSON list."""
        text = (self.stored_text(user_id, name) or "").strip()
        try:
            parsed = json.loads(text) if text else []
        except ValueError:
            return set()
        return {item for item in parsed if isinstance(item, str)} if isinstance(parsed, list) else set()

    def save_list(self, user_id: UUID, name: str, entries: set[str]) -> None:
        """Langflow writes a list as it stands (sorted here: its set order varies per process); the disabled list
        is kept even when empty, the enabled one deleted, and neither is made empty."""
        has = self.stored_text(user_id, name) is not None
        if entries or (has and name == DISABLED_MODELS):
            self.put_generic(user_id, name, json.dumps(sorted(entries)))
        elif has:
            self.put_generic(user_id, name, None)

    def default_model(self, user_id: UUID, model_type: str) -> dict[str, Any]:
        text = self.stored_text(user_id, DEFAULT_MODEL["language" if model_type == "language" else "embedding"])
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or not all(k in parsed for k in ("model_name", "provider", "model_type")):
            return {"default_model": None}
        if isinstance(parsed["provider"], str) and not self.allows(parsed["provider"]):
            return {"default_model": None}
        return {"default_model": parsed}

    def set_default(self, user_id: UUID, request: Any) -> dict[str, Any]:
        if self.catalog.policy:
            self.require(request.provider)
        model = {"model_name": request.model_name, "provider": request.provider, "model_type": request.model_type}
        self.put_generic(user_id, DEFAULT_MODEL[request.model_type], json.dumps(model))
        return {"default_model": model}

    def clear_default(self, user_id: UUID, model_type: str) -> dict[str, Any]:
        name = DEFAULT_MODEL["language" if model_type == "language" else "embedding"]
        if self.stored_text(user_id, name) is not None:
            self.put_generic(user_id, name, None)
        return {"default_model": None}

    # -- providers -----------------------------------------------------------------------------------------------

    def provider_status(self, user_id: UUID) -> dict[str, bool]:
        """Each provider (allowed, in the catalog's order) and whether its required variables are stored: 1.13
        holding values, 1.8 merely existing."""
        names = self.variable_names(user_id, with_value=self.catalog.policy)
        return {provider: all(key in names for key in self.catalog.required_keys(provider))
                for provider in self.catalog.primary_variables() if self.allows(provider)}

    def enabled_providers(self, user_id: UUID, providers: list[str] | None = None) -> dict[str, Any]:
        status = self.provider_status(user_id)
        if providers:
            status = {p: v for p, v in status.items() if p in providers}
        return {"enabled_providers": [p for p, on in status.items() if on], "provider_status": status}

    def usable_providers(self, user_id: UUID) -> set[str]:
        """The providers lfx offers models of in the pickers: every required setting read from the user's variables
        or else the server's environment (1.13 skipping a 'dummy' value)."""
        out = set()
        for provider in self.catalog.primary_variables():
            variables = self.catalog.variables(provider)
            values = self.provider_values(user_id, [v["variable_key"] for v in variables])
            if values and all(v["variable_key"] in values for v in variables if v.get("required")) \
                    and self.allows(provider):
                out.add(provider)
        return out

    def refusal(self, user_id: UUID | None, provider: str, values: dict[str, str] | None = None) -> str | None:
        """What the release's check of the provider's settings (sent, else the user's or the environment's)
        refuses before it would reach the provider."""
        if values is None and user_id is not None:
            keys = [v["variable_key"] for v in self.catalog.variables(provider)]
            values = self.provider_values(user_id, keys)
        return provider_refusal(provider, values or {}, self.check, ssrf=self.ssrf)

    def validate(self, request: Any) -> dict[str, Any]:
        """POST /models/validate-provider: what the release's check refuses before it would reach the provider."""
        if self.catalog.policy:
            self.require(request.provider)
        refused = self.refusal(None, request.provider, request.variables)
        return {"valid": refused is None, "error": refused}

    # -- models --------------------------------------------------------------------------------------------------

    def _groups(self, configured: set[str]) -> list[dict[str, Any]]:
        groups = [g for g in self.catalog.detailed(include_unsupported=True, include_deprecated=True)
                  if self.allows(g["provider"])]
        self.catalog.replace_live(groups, {p for p in configured if self.allows(p)})
        return groups

    def enabled_models(self, user_id: UUID, *, model_names: list[str] | None = None,
                       status: dict[str, bool] | None = None) -> dict[str, Any]:
        """GET /models/enabled_models: per provider, each model and whether it is on (the provider configured,
        the model neither deprecated nor unsupported, a default or switched on, and not switched off); 1.13 also
        per model type."""
        status = self.provider_status(user_id) if status is None else status
        groups = self._groups({p for p, on in status.items() if on})
        disabled, enabled = self.status_list(user_id, DISABLED_MODELS), self.status_list(user_id, ENABLED_MODELS)
        self.catalog.inject_custom(groups, enabled)
        flat: dict[str, dict[str, bool]] = {}
        typed: dict[str, dict[str, dict[str, bool]]] = {}
        explicit_only = set(self.catalog.data["explicit_enable_only"])
        for group in groups:
            provider = group["provider"]
            flat.setdefault(provider, {})
            typed.setdefault(provider, {})
            for model in group["models"]:
                name, meta = model["model_name"], model.get("metadata", {})
                usable = status.get(provider, False) and not meta.get("deprecated") and not meta.get("not_supported")
                if not self.catalog.policy:
                    flat[provider][name] = bool(usable and (meta.get("default") or name in enabled)
                                                and name not in disabled)
                    continue
                kind = meta.get("model_type", "llm") if meta.get("model_type", "llm") in STATUS_TYPES else "llm"
                on = status_contains(enabled, provider, name, kind)
                is_on = bool(usable and (on if provider in explicit_only else (meta.get("default") or on))
                             and not status_contains(disabled, provider, name, kind))
                by_type = typed[provider].setdefault(kind, {})
                by_type[name] = by_type.get(name, False) or is_on
                flat[provider][name] = flat[provider].get(name, False) or is_on
        if model_names:
            flat = {p: kept for p, ms in flat.items() if (kept := {m: v for m, v in ms.items() if m in model_names})}
            typed = {p: kept_types for p, ts in typed.items() if (kept_types := {
                t: kept for t, ms in ts.items() if (kept := {m: v for m, v in ms.items() if m in model_names})})}
        return {"enabled_models": flat, "enabled_models_by_type": typed} if self.catalog.policy \
            else {"enabled_models": flat}

    def update_models(self, user_id: UUID, updates: list[Any]) -> dict[str, list[str]]:
        """POST /models/enabled_models: switch models on or off, checking the provider of each one switched on."""
        if len(updates) > MAX_BATCH:
            raise errors.BadRequest(errors.MODELS_BATCH_TOO_LARGE)
        disabled, enabled = self.status_list(user_id, DISABLED_MODELS), self.status_list(user_id, ENABLED_MODELS)
        rows = [(g["provider"], m["model_name"], m["metadata"])
                for g in self.catalog.detailed(include_unsupported=True, include_deprecated=True) for m in g["models"]]
        if self.catalog.policy:
            by_name: dict[str, set[str]] = {}
            for provider, name, _ in rows:
                by_name.setdefault(name, set()).add(provider)
            for update in updates:
                by_name.setdefault(update.model_id, set()).add(update.provider)
            disabled, enabled = _qualified(disabled, by_name), _qualified(enabled, by_name)
        for update in updates:
            if not update.enabled:
                continue
            if self.catalog.policy:
                self.require(update.provider)
                meta = next((m for p, n, m in rows if (p, n) == (update.provider, update.model_id)), {})
                reason = "deprecated" if meta.get("deprecated") else "not supported" if meta.get("not_supported") \
                    else None
                if reason:
                    raise errors.BadRequest(errors.model_unavailable(reason, update.model_id))
            refused = self.refusal(user_id, update.provider)
            if refused is not None:
                raise errors.BadRequest(errors.provider_check_failed(update.provider, refused))
        if self.catalog.policy:
            _apply_typed(updates, disabled, enabled, rows, set(self.catalog.data["explicit_enable_only"]))
        else:
            defaults = {name: bool(meta.get("default")) for _, name, meta in rows}
            for update in updates:
                if update.enabled:
                    disabled.discard(update.model_id)
                    if not defaults.get(update.model_id, False):
                        enabled.add(update.model_id)
                else:
                    disabled.add(update.model_id)
                    enabled.discard(update.model_id)
        self.save_list(user_id, DISABLED_MODELS, disabled)
        self.save_list(user_id, ENABLED_MODELS, enabled)
        return {"disabled_models": self._visible(disabled), "enabled_models": self._visible(enabled)}

    def listing(self, user_id: UUID, *, provider: list[str] | None, model_name: str | None, model_type: str | None,
                include_unsupported: bool, include_deprecated: bool, filters: dict[str, bool]) -> list[dict[str, Any]]:
        """GET /models: the catalog's providers with their models, as filtered, each with whether it is configured
        and has a model switched on (1.13: its id and whether its models are listed live); the provider of the
        default model of `model_type` first, then configured ones, then by name."""
        policy = self.catalog.policy
        selected = [p for p in provider if self.allows(p)] if provider is not None else None
        if provider is not None and not selected:
            return []
        status = self.provider_status(user_id)
        switched_on = self.enabled_models(user_id, status=status)["enabled_models"]
        chosen = self.default_model(user_id, model_type)["default_model"] if model_type else None
        default_provider = chosen.get("provider") if chosen else None
        groups = self.catalog.detailed(selected, model_name, model_type, include_unsupported=include_unsupported,
                                       include_deprecated=include_deprecated, **filters)
        configured = {p for p, on in status.items() if on and self.allows(p)}
        if policy:
            self.catalog.replace_live(groups, configured, model_type)
            self.catalog.inject_custom(groups, self.status_list(user_id, ENABLED_MODELS), model_name=model_name,
                                       model_type=model_type, filters=filters or None)
            groups = [g for g in groups if self.allows(g.get("provider", ""))
                      and (not selected or g.get("provider") in selected)]
        for group in groups:
            name = group.get("provider")
            if policy:
                group["provider_id"] = self.catalog.resolve_id(name) if isinstance(name, str) else None
            group["is_configured"] = status.get(name, False)
            if policy:
                group["live_discovery"] = self.catalog.is_live(name)
            group["is_enabled"] = any(switched_on.get(name, {}).values())
        if not policy:  # 1.8 lists live models after marking the providers
            self.catalog.replace_live(groups, configured, model_type)
        groups.sort(key=lambda g: (g.get("provider") != default_provider, not g.get("is_configured", False),
                                   g.get("provider", "")))
        return groups

    def options(self, user_id: UUID, model_type: str) -> list[dict[str, Any]]:
        """GET /model_options/language (llm) and /embedding (embeddings): the models the pickers offer, those
        switched on of the providers configured (1.8: of every provider while none is, then an entry per provider
        without any)."""
        policy, data = self.catalog.policy, self.catalog.data
        groups = [g for g in self.catalog.detailed(model_type=model_type) if self.allows(g["provider"])]
        disabled, enabled = self.status_list(user_id, DISABLED_MODELS), self.status_list(user_id, ENABLED_MODELS)
        usable = self.usable_providers(user_id)
        if usable:
            self.catalog.replace_live(groups, usable, model_type, with_metadata=True)
        self.catalog.inject_custom(groups, enabled, model_type=model_type)
        explicit_only = set(data["explicit_enable_only"])
        # 1.13 leaves out the models its blocked keys name, unless the read names the purpose "configure" (whose
        # narrowed policy Langflow builds without them)
        blocks = ProviderPolicy(self.catalog, blocked=self.blocked).blocks if self.purpose != "configure" \
            else None
        options: list[dict[str, Any]] = []
        offered = set()
        for group in groups:
            provider = group["provider"]
            if (policy or usable) and provider not in usable:
                continue
            offered.add(provider)
            for model in group["models"]:
                name, meta = model["model_name"], model.get("metadata", {})
                kind = meta.get("model_type") or model_type
                if policy:
                    on = status_contains(enabled, provider, name, kind)
                    if not (on if provider in explicit_only else (meta.get("default") or on)) \
                            or status_contains(disabled, provider, name, kind) \
                            or (blocks is not None and blocks(provider, name, kind)):
                        continue
                elif (not meta.get("default") and name not in enabled) or name in disabled:
                    continue
                options.append(self.catalog.option(provider, name, meta, model_type, group.get("icon", "Bot")))
        if not policy:
            for provider, meta in self.catalog.metadata.items():
                if provider not in offered and (model_type == "llm" or provider in data["embedding_classes"]):
                    options.append({"name": f"__enable_provider_{provider}__", "icon": meta.get("icon", "Bot"),
                                    "category": provider, "provider": provider,
                                    "metadata": {"is_disabled_provider": True,
                                                 "variable_name": meta.get("variable_name")}})
        return options

    def _visible(self, entries: set[str]) -> list[str]:
        """1.13 leaves out entries of providers its policy hides."""
        return [e for e in sorted(entries) if (p := parse_status_key(e)[0]) is None or self.allows(p)]


def _qualified(entries: set[str], by_name: dict[str, set[str]]) -> set[str]:
    """1.13 first qualifies bare names its catalog (or the request) knows, for every provider having the name."""
    out: set[str] = set()
    for entry in entries:
        out.update({status_key(p, entry) for p in by_name[entry]} if by_name.get(entry) else {entry})
    return out


def _apply_typed(updates: list[Any], disabled: set[str], enabled: set[str], rows: list[tuple[str, str, Any]],
                 explicit_only: set[str]) -> None:
    """1.13's update of the two sets: a typed update first spreads a provider-qualified entry of that model over
    its catalog types; an untyped one drops the model's typed entries. A default model switched on needs no
    entry (unless its provider needs explicit enabling); one switched off is listed as disabled."""
    defaults: dict[str, bool] = {}
    types: dict[str, set[str]] = {}
    for provider, name, meta in rows:
        kind = meta.get("model_type", "llm")
        legacy = status_key(provider, name)
        defaults[legacy] = defaults.get(legacy, False) or bool(meta.get("default"))
        if kind in STATUS_TYPES:
            defaults[status_key(provider, name, kind)] = bool(meta.get("default"))
            types.setdefault(legacy, set()).add(kind)
    for update in updates:
        legacy = status_key(update.provider, update.model_id)
        for entries in (disabled, enabled):
            if update.model_type is not None and legacy in entries:
                entries.discard(legacy)
                entries.update(status_key(update.provider, update.model_id, t) for t in types.get(legacy) or {"llm"})
            elif update.model_type is None:
                entries.difference_update({e for e in entries if parse_status_key(e)[0] == update.provider
                                           and parse_status_key(e)[1] == update.model_id
                                           and parse_status_key(e)[2] is not None})
        key = status_key(update.provider, update.model_id, update.model_type) if update.model_type else legacy
        if update.enabled:
            disabled.discard(key)
            if update.provider in explicit_only or not defaults.get(key, defaults.get(legacy, False)):
                enabled.add(key)
            else:
                enabled.discard(key)
        else:
            disabled.add(key)
            enabled.discard(key)
