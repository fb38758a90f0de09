"""/api/v1/models, /api/v1/model_options and /api/v1/model-provider-policy (1.8, 1.13; the policy 1.13 only): the
model catalog the UI's model settings and pickers read, and the user's model settings, kept in their variables
(store/model_settings.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from mock_langflow.auth import CurrentUser, Superuser, caller_or_refusal, optional_user_where
from mock_langflow.deps import StateDep
from mock_langflow.routing import api_router
from mock_langflow.schemas.models import (
    DefaultModelRequest,
    ModelProviderDescriptorRead,
    ModelProviderPolicyRead,
    ModelProviderPolicyWrite,
    ModelStatusUpdate,
    RegisteredModelProviderRead,
    ValidateProviderRequest,
    ValidateProviderResponse,
)
from mock_langflow.state import AppState
from mock_langflow.store.models import UserRow

router = api_router(prefix="/models", tags=["Models"], include_in_schema=False)
options_router = api_router(prefix="/model_options", tags=["Model Options"], include_in_schema=False)
policy_router = api_router(prefix="/model-provider-policy", tags=["Model Provider Policy"])


def model_settings(state: AppState, *, approved: bool = True) -> Any:
    """The release's catalog over the store's variables, with 1.13's approved providers."""
    from mock_langflow.model_catalog import catalog_for
    from mock_langflow.store.model_settings import ModelSettings

    profile = state.profile
    catalog = catalog_for(profile.models.catalog, profile.models.dialect)
    return ModelSettings(state.store.users, catalog,
                         approved=state.store.model_policy.approved() if catalog.policy and approved else frozenset(),
                         check=profile.variables.provider_check, ssrf=state.store.users.ssrf)


async def scoped_settings(request: Request, user: CurrentUser, state: StateDep) -> Any:
    return checked_scope(request, user, state)


def checked_scope(request: Request, user: UserRow, state: AppState) -> Any:
    """1.13's policy scope of a /models read: `purpose` ('use' or 'configure') and a flow or a project of the
    caller's (not both); the OSS policy decides the same whatever the scope. 1.8 has none of these parameters."""
    settings = model_settings(state)
    if not settings.catalog.policy:
        return settings
    from mock_langflow import errors
    from mock_langflow.schemas.models import PolicyScope

    try:
        scope = PolicyScope.model_validate({k: v for k, v in request.query_params.items()
                                            if k in ("purpose", "flow_id", "project_id")})
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])}
                                      for e in exc.errors(include_url=False)]) from exc
    if scope.flow_id is not None and scope.project_id is not None:
        raise errors.UnprocessableEntity(errors.FLOW_OR_PROJECT)
    if scope.flow_id is not None:
        state.store.flows.get(scope.flow_id, user_id=user.id)
    elif scope.project_id is not None:
        state.store.projects.get(scope.project_id, user_id=user.id)
    return settings


Settings = Annotated[Any, Depends(scoped_settings)]


@router.get("/providers", status_code=200)
async def list_model_providers(settings: Settings) -> list[str]:
    """GET /api/v1/models/providers."""
    return [p for p in settings.catalog.providers() if settings.allows(p)]


@router.get("/provider-descriptors", status_code=200, response_model=list[ModelProviderDescriptorRead])
async def list_model_provider_descriptors(settings: Settings) -> list[ModelProviderDescriptorRead]:
    """GET /api/v1/models/provider-descriptors (1.13): each provider's id and display name, by display name.
    langflow-base's own components add no provider of their own (its model components pick a provider)."""
    return descriptors(settings, allowed_only=True)


def descriptors(settings: Any, *, allowed_only: bool,
                shape: type[RegisteredModelProviderRead] = ModelProviderDescriptorRead) -> list[Any]:
    """The providers' ids and display names, by display name (the policy's list: every provider)."""
    catalog = settings.catalog
    found = [shape(provider_id=catalog.resolve_id(p), display_name=catalog.display_name(p),
                                         provider=p)
             for p in catalog.metadata if not allowed_only or settings.allows(p)]
    return sorted(found, key=lambda d: (d.display_name.casefold(), d.provider_id))


@router.get("", status_code=200)
async def list_models(user: CurrentUser, settings: Settings,
                      provider: Annotated[list[str] | None, Query(description="Repeat to include multiple providers")]
                      = None, model_name: str | None = None, model_type: str | None = None,
                      include_unsupported: bool = False, include_deprecated: bool = False,
                      tool_calling: bool | None = None, reasoning: bool | None = None, search: bool | None = None,
                      preview: bool | None = None, deprecated: bool | None = None,
                      not_supported: bool | None = None) -> list[dict[str, Any]]:
    """GET /api/v1/models: the catalog by provider, filtered by the query."""
    flags = {"tool_calling": tool_calling, "reasoning": reasoning, "search": search, "preview": preview,
             "deprecated": deprecated, "not_supported": not_supported}
    listed: list[dict[str, Any]] = settings.listing(
        user.id, provider=provider, model_name=model_name, model_type=model_type,
        include_unsupported=include_unsupported, include_deprecated=include_deprecated,
        filters={k: v for k, v in flags.items() if v is not None})
    return listed


# 1.8 reads no credentials for the provider variable mapping.
MappingCaller = Annotated[UserRow | None, Depends(optional_user_where(lambda state: state.profile.models.dialect
                                                                     == "policy"))]


@router.get("/provider-variable-mapping", status_code=200)
async def get_model_provider_mapping(request: Request, user: MappingCaller,
                                     state: StateDep) -> dict[str, list[dict[str, Any]]]:
    """GET /api/v1/models/provider-variable-mapping: each provider's variables (1.8 answers anyone)."""
    settings = checked_scope(request, caller_or_refusal(request, user), state) if user is not None or \
        state.profile.models.dialect == "policy" else model_settings(state)
    return {p: meta.get("variables", []) for p, meta in settings.catalog.metadata.items() if settings.allows(p)}


@router.get("/enabled_providers", status_code=200)
async def get_enabled_providers(user: CurrentUser, settings: Settings,
                                providers: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """GET /api/v1/models/enabled_providers."""
    found: dict[str, Any] = settings.enabled_providers(user.id, providers)
    return found


@router.post("/validate-provider", status_code=200, response_model=ValidateProviderResponse)
async def validate_provider(request: ValidateProviderRequest, settings: Settings) -> ValidateProviderResponse:
    """POST /api/v1/models/validate-provider.

    Deviation: nothing is sent to the provider. The settings sent are checked as far as the release's check
    goes before it connects (profile variables.provider_check); past that they are valid."""
    if settings.catalog.policy:
        settings.require(request.provider)
    refused = settings.refusal(None, request.provider, request.variables)
    return ValidateProviderResponse(valid=refused is None, error=refused)


@router.get("/enabled_models", status_code=200)
async def get_enabled_models(user: CurrentUser, settings: Settings,
                             model_names: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """GET /api/v1/models/enabled_models."""
    found: dict[str, Any] = settings.enabled_models(user.id, model_names=model_names)
    return found


@router.post("/enabled_models", status_code=200)
async def update_enabled_models(updates: list[ModelStatusUpdate], user: CurrentUser,
                                settings: Settings) -> dict[str, list[str]]:
    """POST /api/v1/models/enabled_models: models switched on or off (the user's __enabled_models__ and
    __disabled_models__ variables)."""
    changed: dict[str, list[str]] = settings.update_models(user.id, updates)
    return changed


@router.get("/default_model", status_code=200)
async def get_default_model(user: CurrentUser, settings: Settings,
                            model_type: Annotated[str, Query(description="Type of model: 'language' or 'embedding'")]
                            = "language") -> dict[str, Any]:
    """GET /api/v1/models/default_model."""
    found: dict[str, Any] = settings.default_model(user.id, model_type)
    return found


@router.post("/default_model", status_code=200)
async def set_default_model(request: DefaultModelRequest, user: CurrentUser, settings: Settings) -> dict[str, Any]:
    """POST /api/v1/models/default_model (the user's __default_language_model__ or __default_embedding_model__)."""
    if settings.catalog.policy:
        settings.require(request.provider)
    answer: dict[str, Any] = settings.set_default(user.id, {"model_name": request.model_name,
                                                            "provider": request.provider,
                                                            "model_type": request.model_type})
    return answer


@router.delete("/default_model", status_code=200)
async def clear_default_model(user: CurrentUser, settings: Settings,
                              model_type: Annotated[str, Query(description="Type of model: 'language' or "
                                                                           "'embedding'")] = "language"
                              ) -> dict[str, Any]:
    """DELETE /api/v1/models/default_model."""
    cleared: dict[str, Any] = settings.clear_default(user.id, model_type)
    return cleared


@options_router.get("/language", status_code=200)
async def get_language_model_options_endpoint(user: CurrentUser, settings: Settings) -> list[dict[str, Any]]:
    """GET /api/v1/model_options/language: the models the language model pickers offer."""
    offered: list[dict[str, Any]] = settings.options(user.id, "llm")
    return offered


@options_router.get("/embedding", status_code=200)
async def get_embedding_model_options_endpoint(user: CurrentUser, settings: Settings) -> list[dict[str, Any]]:
    """GET /api/v1/model_options/embedding: the models the embedding model pickers offer."""
    offered: list[dict[str, Any]] = settings.options(user.id, "embeddings")
    return offered


def policy_read(state: AppState) -> ModelProviderPolicyRead:
    settings = model_settings(state)
    return ModelProviderPolicyRead(approved_provider_ids=sorted(settings.approved),
                                   registered_providers=descriptors(settings, allowed_only=False,
                                                                      shape=RegisteredModelProviderRead),
                                   managed_externally=False)


@policy_router.get("", response_model=ModelProviderPolicyRead)
@policy_router.get("/", response_model=ModelProviderPolicyRead, include_in_schema=False)
async def read_model_provider_policy(_admin: Superuser, state: StateDep) -> ModelProviderPolicyRead:
    """GET /api/v1/model-provider-policy (1.13, superusers): the approved provider ids (empty: all allowed)."""
    return policy_read(state)


@policy_router.post("", response_model=ModelProviderPolicyRead)
@policy_router.post("/", response_model=ModelProviderPolicyRead, include_in_schema=False)
@policy_router.put("", response_model=ModelProviderPolicyRead)
@policy_router.put("/", response_model=ModelProviderPolicyRead, include_in_schema=False)
async def replace_model_provider_policy(payload: ModelProviderPolicyWrite, admin: Superuser,
                                        state: StateDep) -> ModelProviderPolicyRead:
    """POST or PUT /api/v1/model-provider-policy (1.13, superusers): the whole approved list replaced."""
    state.store.model_policy.replace(payload.approved_provider_ids)
    return policy_read(state)
