"""/api/v1/models, /api/v1/model_options and /api/v1/model-provider-policy (1.8, 1.13; the policy 1.13 only): the
model catalog the UI's model settings and pickers read, and the user's model settings, kept in their variables.
The work is store/model_settings.py's, imported on the first call (it holds these routes' bodies and rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Body, Depends, Query, Request

from mock_langflow.auth import CurrentUser, Superuser, caller_or_refusal, optional_user_where
from mock_langflow.deps import StateDep
from mock_langflow.routing import LazyModule, api_router, documented
from mock_langflow.state import AppState
from mock_langflow.store.models import UserRow

bodies = LazyModule("mock_langflow.schemas.models")  # request bodies, imported when a route is first analysed
if TYPE_CHECKING:
    from mock_langflow.store.model_settings import ModelSettings

router = api_router(prefix="/models", tags=["Models"], include_in_schema=False)
options_router = api_router(prefix="/model_options", tags=["Model Options"], include_in_schema=False)
policy_router = api_router(prefix="/model-provider-policy", tags=["Model Provider Policy"])
JsonBody = Annotated[Any, Body()]  # checked by the handler against Langflow's model (schemas/model_bodies.py)


def settings_of(state: AppState) -> ModelSettings:
    from mock_langflow.store.model_settings import ModelSettings

    return ModelSettings.of(state)


async def scoped(request: Request, user: CurrentUser, state: StateDep) -> ModelSettings:
    return settings_of(state).check_scope(state, dict(request.query_params), user.id)


def body(shape: str, value: Any) -> Any:
    from mock_langflow.schemas import model_bodies

    return model_bodies.checked(getattr(model_bodies, shape) if shape != "updates" else
                                list[model_bodies.ModelStatusUpdate], value)


Settings = Annotated["ModelSettings", Depends(scoped)]
# 1.8 reads no credentials for the provider variable mapping.
MappingCaller = Annotated[UserRow | None, Depends(optional_user_where(
    lambda state: state.profile.models.dialect == "policy"))]


@router.get("/providers", status_code=200)
async def list_model_providers(settings: Settings) -> list[str]:
    """GET /api/v1/models/providers."""
    return [p for p in settings.catalog.providers() if settings.allows(p)]


@router.get("/provider-descriptors", status_code=200)
async def list_model_provider_descriptors(settings: Settings) -> list[dict[str, str]]:
    """GET /api/v1/models/provider-descriptors (1.13)."""
    return settings.descriptors()


@router.get("", status_code=200)
async def list_models(user: CurrentUser, settings: Settings,
                      provider: Annotated[list[str] | None, Query()] = None, model_name: str | None = None,
                      model_type: str | None = None, include_unsupported: bool = False,
                      include_deprecated: bool = False, tool_calling: bool | None = None,
                      reasoning: bool | None = None, search: bool | None = None, preview: bool | None = None,
                      deprecated: bool | None = None, not_supported: bool | None = None) -> list[dict[str, Any]]:
    """GET /api/v1/models: the catalog by provider, filtered by the query."""
    flags = {"tool_calling": tool_calling, "reasoning": reasoning, "search": search, "preview": preview,
             "deprecated": deprecated, "not_supported": not_supported}
    listed: list[dict[str, Any]] = settings.listing(
        user.id, provider=provider, model_name=model_name, model_type=model_type,
        include_unsupported=include_unsupported, include_deprecated=include_deprecated,
        filters={k: v for k, v in flags.items() if v is not None})
    return listed


@router.get("/provider-variable-mapping", status_code=200)
async def get_model_provider_mapping(request: Request, user: MappingCaller,
                                     state: StateDep) -> dict[str, list[dict[str, Any]]]:
    """GET /api/v1/models/provider-variable-mapping (1.8: for anyone)."""
    settings = settings_of(state)
    if settings.catalog.policy:
        settings.check_scope(state, dict(request.query_params), caller_or_refusal(request, user).id)
    return {p: meta.get("variables", []) for p, meta in settings.catalog.metadata.items() if settings.allows(p)}


@router.get("/enabled_providers", status_code=200)
async def get_enabled_providers(user: CurrentUser, settings: Settings,
                                providers: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """GET /api/v1/models/enabled_providers."""
    return settings.enabled_providers(user.id, providers)


@router.post("/validate-provider", status_code=200)
async def validate_provider(payload: JsonBody, user: CurrentUser, settings: Settings) -> dict[str, Any]:
    """POST /api/v1/models/validate-provider.

    Deviation: nothing is sent to the provider; past the checks the release makes before it connects, valid."""
    return settings.validate(body("ValidateProviderRequest", payload))


@router.get("/enabled_models", status_code=200)
async def get_enabled_models(user: CurrentUser, settings: Settings,
                             model_names: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    """GET /api/v1/models/enabled_models."""
    return settings.enabled_models(user.id, model_names=model_names)


@router.post("/enabled_models", status_code=200)
async def update_enabled_models(payload: JsonBody, user: CurrentUser, settings: Settings) -> dict[str, list[str]]:
    """POST /api/v1/models/enabled_models."""
    return settings.update_models(user.id, body("updates", payload))


@router.get("/default_model", status_code=200)
async def get_default_model(user: CurrentUser, settings: Settings, model_type: str = "language") -> dict[str, Any]:
    """GET /api/v1/models/default_model."""
    return settings.default_model(user.id, model_type)


@router.post("/default_model", status_code=200)
async def set_default_model(payload: JsonBody, user: CurrentUser, settings: Settings) -> dict[str, Any]:
    """POST /api/v1/models/default_model."""
    return settings.set_default(user.id, body("DefaultModelRequest", payload))


@router.delete("/default_model", status_code=200)
async def clear_default_model(user: CurrentUser, settings: Settings, model_type: str = "language") -> dict[str, Any]:
    """DELETE /api/v1/models/default_model."""
    return settings.clear_default(user.id, model_type)


@options_router.get("/language", status_code=200)
async def get_language_model_options_endpoint(user: CurrentUser, settings: Settings) -> list[dict[str, Any]]:
    """GET /api/v1/model_options/language."""
    return settings.options(user.id, "llm")


@options_router.get("/embedding", status_code=200)
async def get_embedding_model_options_endpoint(user: CurrentUser, settings: Settings) -> list[dict[str, Any]]:
    """GET /api/v1/model_options/embedding."""
    return settings.options(user.id, "embeddings")


POLICY = {"response_model": None, "responses": {200: {"model": documented("ModelProviderPolicyRead")}}}


@policy_router.get("", **POLICY)
@policy_router.get("/", include_in_schema=False, **POLICY)
async def read_model_provider_policy(_admin: Superuser, state: StateDep) -> dict[str, Any]:
    """GET /api/v1/model-provider-policy (1.13, superusers): the approved provider ids (none: all allowed)."""
    found: dict[str, Any] = settings_of(state).policy()
    return found


@policy_router.post("", **POLICY)
@policy_router.post("/", include_in_schema=False, **POLICY)
@policy_router.put("", **POLICY)
@policy_router.put("/", include_in_schema=False, **POLICY)
async def replace_model_provider_policy(payload: bodies.ModelProviderPolicyWrite, admin: Superuser,
                                        state: StateDep) -> dict[str, Any]:
    """POST or PUT /api/v1/model-provider-policy (1.13, superusers): the whole approved list replaced, as a new
    policy bundle revision (store/policy_bundle.py)."""
    state.store.policy_bundle.change("approved_provider_ids", payload.approved_provider_ids, actor=admin.id,
                                     reason="Replace approved model providers")
    return await read_model_provider_policy(admin, state)
