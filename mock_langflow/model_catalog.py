"""Langflow's unified model catalog (lfx's model metadata): its providers, their variables and the static model rows,
read on first use from data/model_catalog_<release>.json (written by scripts/make-model-catalogs), and the views
the /models and /model_options routes build from it. Pure functions of the release's data and the caller's state
(which providers are configured, which models are switched on or off): the state itself lives in the user's
variables (store/model_settings.py).

The mock never reaches a provider: a provider whose models Langflow lists live (Ollama, IBM WatsonX, OpenRouter;
OpenAI and Azure AI Foundry with a custom endpoint) lists what the release lists when its endpoint does not answer
(WatsonX: the release's fallback names; the others: none, or, for OpenAI and Foundry, the static rows)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any, Literal

from mock_langflow import errors

Dialect = Literal["policy", "legacy"]
STATUS_SEPARATOR = "::"
STATUS_TYPES = ("llm", "embeddings")
DEFAULTS_PER_PROVIDER = 5  # lfx marks each provider's first five rows as its defaults
METADATA_FILTERS = ("tool_calling", "reasoning", "search", "preview", "deprecated", "not_supported")


@cache
def _data(release: str) -> dict[str, Any]:
    text = resources.files("mock_langflow.data").joinpath(f"model_catalog_{release}.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def status_key(provider: str, model_name: str, model_type: str | None = None) -> str:
    """The identity 1.13 keeps in __enabled_models__ / __disabled_models__: '<provider>::<name>', typed
    '<provider>::<type>::<name>'."""
    if model_type is not None:
        return STATUS_SEPARATOR.join((provider, model_type, model_name))
    return f"{provider}{STATUS_SEPARATOR}{model_name}"


def parse_status_key(entry: str) -> tuple[str | None, str, str | None]:
    """(provider, model name, type) of a bare, qualified or typed entry (a name holding '::' stays whole)."""
    parts = entry.split(STATUS_SEPARATOR, 2)
    if len(parts) == 1:
        return None, entry, None
    if len(parts) == 2:
        return parts[0], parts[1], None
    if parts[1] in STATUS_TYPES:
        return parts[0], parts[2], parts[1]
    return parts[0], f"{parts[1]}{STATUS_SEPARATOR}{parts[2]}", None


def status_contains(entries: set[str], provider: str, model_name: str, model_type: str | None = None) -> bool:
    """1.13's lookup of a model in a status list: bare, qualified or typed entries all count."""
    if status_key(provider, model_name) in entries or model_name in entries:
        return True
    types = (model_type,) if model_type is not None else STATUS_TYPES
    return any(status_key(provider, model_name, t) in entries for t in types)


def _model(row: dict[str, Any]) -> dict[str, Any]:
    """A catalog row as a provider group lists it: its name, and its other facts as metadata."""
    return {"model_name": row["name"], "metadata": {k: v for k, v in row.items() if k not in ("provider", "name")}}


def derived_id(name: str) -> str:
    """lfx's id for a provider name it does not know: lower-case, runs of other characters as '-'."""
    return re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-._")


@dataclass(frozen=True)
class ModelCatalog:
    """One release's catalog. `dialect`: 1.13's ("policy": stable provider ids, a provider policy, typed status
    keys, live-discovery flags) or 1.8's ("legacy": provider names and bare model names)."""

    release: str
    dialect: Dialect

    @cached_property
    def data(self) -> dict[str, Any]:
        return _data(self.release)

    @property
    def metadata(self) -> dict[str, dict[str, Any]]:
        providers: dict[str, dict[str, Any]] = self.data["providers"]
        return providers

    @property
    def policy(self) -> bool:
        return self.dialect == "policy"

    # -- providers -----------------------------------------------------------------------------------------------

    def provider_id(self, selector: str) -> str | None:
        """The stable id of a provider name, id or alias (any case), None when unknown (1.13's provider_id_for)."""
        if not selector:
            return None
        if selector in self.metadata:
            return str(self.metadata[selector].get("provider_id") or derived_id(selector))
        return self._aliases.get(selector.casefold())

    @cached_property
    def _aliases(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, meta in self.metadata.items():
            provider_id = str(meta.get("provider_id") or derived_id(name))
            for value in (name, provider_id, meta.get("display_name"), *(meta.get("aliases") or ())):
                if isinstance(value, str) and value:
                    out[value.casefold()] = provider_id
        return out

    def resolve_id(self, selector: str) -> str:
        """A provider's stable id, or the id lfx derives for an unknown name (an opaque hash when none)."""
        found = self.provider_id(selector)
        if found is not None:
            return found
        import hashlib

        return derived_id(selector) or f"legacy-{hashlib.sha256(selector.strip().casefold().encode()).hexdigest()}"

    def name_for_id(self, provider_id: str) -> str | None:
        return next((name for name, meta in self.metadata.items()
                     if str(meta.get("provider_id") or derived_id(name)) == provider_id), None)

    def providers(self) -> list[str]:
        """GET /models/providers before any policy: 1.13 every provider it declares or catalogs (one per id),
        1.8 those its static catalog has; sorted by name."""
        if not self.policy:
            return sorted({row["provider"] for row in self.data["catalog"]})
        by_id: dict[str, str] = {}
        for name in [*self.metadata, *(row["provider"] for row in self.data["catalog"])]:
            by_id.setdefault(self.resolve_id(name), name)
        return sorted(by_id.values())

    @cached_property
    def known_ids(self) -> frozenset[str]:
        """The ids of the providers the release knows (the candidates its policy decides among)."""
        return frozenset(self.resolve_id(p) for p in self.providers())

    def display_name(self, provider: str) -> str:
        return str(self.metadata.get(provider, {}).get("display_name") or provider)

    def variables(self, provider: str) -> list[dict[str, Any]]:
        name = self.name_for_id(self.provider_id(provider) or "") if self.policy else provider
        found: list[dict[str, Any]] = self.metadata.get(name or provider, {}).get("variables", [])
        return found

    def primary_variables(self) -> dict[str, str]:
        """Each provider's one representative variable (its key): 1.13 a required secret, else any secret, else
        the first; 1.8 the first required secret, else the first."""
        out: dict[str, str] = {}
        for provider, meta in self.metadata.items():
            variables = meta.get("variables", [])
            secrets = [v for v in variables if v.get("is_secret")] if self.policy else []
            chosen = next((v for v in variables if v.get("required") and v.get("is_secret")), None)
            chosen = chosen or (secrets[0] if secrets else None) or (variables[0] if variables else None)
            if chosen is not None:
                out[provider] = chosen["variable_key"]
        return out

    def required_keys(self, provider: str) -> list[str]:
        return [v["variable_key"] for v in self.variables(provider) if v.get("required")]

    def is_live(self, provider: str) -> bool:
        return provider in self.data["live"]

    # -- models --------------------------------------------------------------------------------------------------

    def detailed(self, providers: list[str] | None = None, model_name: str | None = None,
                 model_type: str | None = None, *, include_unsupported: bool = False, include_deprecated: bool = False,
                 **filters: Any) -> list[dict[str, Any]]:
        """lfx's get_unified_models_detailed: the static rows that pass the filters, grouped by provider in catalog
        order, each provider's first five marked default (1.13 first moves deprecated rows last), each group
        carrying the provider's metadata (1.13 before the group's keys, 1.8 after)."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in self.data["catalog"]:
            if (not include_unsupported and row.get("not_supported")) or (
                    not include_deprecated and row.get("deprecated")):
                continue
            if (providers and row.get("provider") not in providers) or (model_name and row["name"] != model_name) or (
                    model_type and row.get("model_type") != model_type):
                continue
            if any(row.get(k) != v for k, v in filters.items()):
                continue
            grouped.setdefault(row["provider"], []).append(_model(row))
        out = []
        for provider, models in grouped.items():
            if self.policy:
                models.sort(key=lambda m: (1 if m["metadata"].get("deprecated") else 0, -(m["metadata"].get("created")
                                                                                           or 0)))
            for i, model in enumerate(models):
                model["metadata"]["default"] = i < DEFAULTS_PER_PROVIDER
            group = {"provider": provider, "models": models, "num_models": len(models)}
            meta = json.loads(json.dumps(self.metadata.get(provider, {})))  # the caller may change it
            out.append({**meta, **group} if self.policy else {**group, **meta})
        return out

    def replace_live(self, groups: list[dict[str, Any]], configured: set[str], model_type: str | None = None,
                     *, with_metadata: bool = False) -> None:
        """lfx's replace_with_live_models for a configured provider whose endpoint does not answer: a live
        provider's rows become what the release falls back to (WatsonX: its fallback names; others: none); an
        OpenAI or Foundry endpoint answering nothing leaves the static rows. A provider missing from `groups` is
        added when it has rows (with its metadata where the caller passes it)."""
        for provider in (*self.data["live"], *self.data["conditional_live"]):
            if provider not in configured:
                continue
            types = (model_type,) if model_type is not None else STATUS_TYPES
            live = [row for t in types for row in self.data["watsonx_offline"].get(t, [])] \
                if provider == "IBM WatsonX" else []
            if provider in self.data["conditional_live"] and not live:
                continue
            models = [_model(r) for r in live]
            group = next((g for g in groups if g.get("provider") == provider), None)
            if group is not None:
                group["models"], group["num_models"] = models, len(models)
            elif models:
                extra = self.metadata.get(provider, {}) if with_metadata else {}
                groups.append({"provider": provider, "models": models, "num_models": len(models), **extra})

    def inject_custom(self, groups: list[dict[str, Any]], enabled: set[str], *, model_name: str | None = None,
                      model_type: str | None = None, filters: dict[str, Any] | None = None) -> None:
        """1.13's free-text deployments a user switched on for a provider that needs explicit enabling (Azure AI
        Foundry), added to the catalog when missing from it."""
        if not self.policy or not enabled:
            return
        by_provider = {g["provider"]: g for g in groups if isinstance(g.get("provider"), str)}
        for entry in sorted(enabled):
            provider, name, kind = parse_status_key(entry)
            name = name.strip()
            if provider not in self.data["explicit_enable_only"] or not name:
                continue
            kind = kind or "llm"
            if (model_type is not None and kind != model_type) or (model_name is not None and name != model_name):
                continue
            meta = {"icon": self.metadata.get(provider, {}).get("icon", "Bot"), "model_type": kind,
                    "tool_calling": kind == "llm", "default": False}
            if filters and any(meta.get(k) != v for k, v in filters.items()):
                continue
            group = by_provider.get(provider)
            if group is None:
                group = {"provider": provider, "models": [], "num_models": 0, **self.metadata.get(provider, {})}
                groups.append(group)
                by_provider[provider] = group
            known = {(m["model_name"], m.get("metadata", {}).get("model_type") or "llm") for m in group["models"]}
            if (name, kind) not in known:
                group["models"].append({"model_name": name, "metadata": meta})
                group["num_models"] = len(group["models"])

    def option(self, provider: str, name: str, meta: dict[str, Any], model_type: str, icon: str) -> dict[str, Any]:
        """One model as the pickers offer it and a model field's selection stores it: name, icon, provider, its
        metadata (`meta`: the model's catalog flags), and 1.13's provider id."""
        option = {"name": name, "icon": icon, "category": provider, "provider": provider,
                  "metadata": self.option_metadata(provider, name, meta, model_type)}
        return {**option, "provider_id": self.resolve_id(provider)} if self.policy else option

    def option_metadata(self, provider: str, name: str, meta: dict[str, Any], model_type: str) -> dict[str, Any]:
        """A model option's metadata as the pickers get it (GET /model_options/...): its class and parameters."""
        data = self.data
        if model_type == "embeddings":
            params = data["embedding_params"]
            return {"embedding_class": data["embedding_classes"].get(provider, "OpenAIEmbeddings"),
                    "param_mapping": params.get(provider, params["OpenAI"]), "model_type": "embeddings"}
        mapping: dict[str, str] = data["param_mappings"].get(provider, {})
        out: dict[str, Any] = {"context_length": 128000, "model_class": mapping.get("model_class", "ChatOpenAI"),
                               "model_name_param": mapping.get("model_param", "model"),
                               "api_key_param": mapping.get("api_key_param", "api_key")}
        provider_meta = self.metadata.get(provider, {})
        if "max_tokens_field_name" in provider_meta:
            out["max_tokens_field_name"] = provider_meta["max_tokens_field_name"]
        if meta.get("reasoning") and (self.policy or provider == "OpenAI"):
            if self.policy:  # 1.13 marks every provider's reasoning models, 1.8 OpenAI's only
                out["reasoning"] = True
            out["reasoning_models"] = [name]
        for param in ("base_url_param", "url_param", "project_id_param"):
            if param in mapping:
                out[param] = mapping[param]
        return out

    @cached_property
    def _chat_providers(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for row in self.data["catalog"]:
            if row.get("model_type", "llm") == "llm":
                found.setdefault(row["name"], row["provider"])
        return found

    def provider_of(self, model_name: str) -> str | None:
        """The provider of a chat model the static catalog lists by that name (the first listed), else None."""
        return self._chat_providers.get(model_name)

    def model_names(self, provider: str) -> set[str]:
        """The provider's model names in the static catalog, deprecated and unsupported ones included."""
        return {row["name"] for row in self.data["catalog"] if row["provider"] == provider}


@cache
def catalog_for(release: str, dialect: Dialect) -> ModelCatalog:
    return ModelCatalog(release, dialect)


@dataclass(frozen=True)
class ProviderPolicy:
    """1.13's model-provider policy decision (lfx ModelProviderPolicySnapshot) for the providers a caller names:
    the approved provider ids (empty: every provider) and the blocked model keys (bare, '<provider id>::<name>' or
    '<provider id>::<llm|embeddings>::<name>', as the policy bundle stores them)."""

    catalog: ModelCatalog
    approved: frozenset[str] = frozenset()
    blocked: frozenset[str] = frozenset()

    def allows(self, provider: str) -> bool:
        return not self.approved or self.catalog.resolve_id(provider) in self.approved

    def blocks(self, provider: str, model_name: str, model_type: str | None) -> bool:
        """Whether a blocked key names the model: bare, qualified by its provider's id, or typed (an unknown type
        matching either typed key)."""
        if not self.blocked:
            return False
        provider_id = self.catalog.resolve_id(provider)
        if model_name in self.blocked or status_key(provider_id, model_name) in self.blocked:
            return True
        types = (model_type,) if model_type in STATUS_TYPES else STATUS_TYPES
        return any(status_key(provider_id, model_name, t) in self.blocked for t in types)

    def refusal(self, provider: str, model_names: tuple[str, ...] = (), model_type: str | None = "llm") -> str | None:
        """lfx's require_model: the error text for a provider outside the approved list, else for the first of its
        models a key blocks, else None."""
        if not self.allows(provider):
            return errors.MODEL_PROVIDER_UNAVAILABLE
        blocked = next((name for name in model_names if self.blocks(provider, name, model_type)), None)
        return None if blocked is None else errors.model_blocked(blocked, self.catalog.resolve_id(provider))
