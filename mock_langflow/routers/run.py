"""/api/v1/run/{flow}: run a stored flow, answer as JSON or as Langflow's event stream (facts 9-17)."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Body, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from mock_langflow import errors
from mock_langflow.auth import ApiKeyUser, CurrentUser
from mock_langflow.clock import as_uuid
from mock_langflow.deps import StateDep, app_state
from mock_langflow.engine.jobs import ResultBuilds
from mock_langflow.engine.runner import (
    CatalogBlocked,
    Disconnect,
    GraphFault,
    NeedsHuman,
    Observer,
    RunError,
    RunRequest,
    global_var_headers,
    graph_error_text,
    memory_capture,
    refused_inputs,
    refused_tweaks,
    serving_scope,
    tweak_conflict,
)
from mock_langflow.profiles import Profile
from mock_langflow.responses import answers, json_response
from mock_langflow.routers.flows import catalog_refusal, component_blocks
from mock_langflow.routing import api_router, documented
from mock_langflow.schemas.run import (
    InputValueRequest,
    LegacyTweaks,
    SimplifiedAPIRequest,
    Tweaks,
    tweak_map,
)
from mock_langflow.state import AppState
from mock_langflow.store.flows import RunTarget
from mock_langflow.streaming import events
from mock_langflow.streaming.presenters import error_block, run_stream

router = api_router(tags=["Base"])

# The multipart /run body's fields Langflow 1.13 reads (and `tweaks`, as JSON text).
FORM_FIELDS = ("input_value", "input_type", "output_type", "output_component", "session_id", "user_id")
EVENT_STREAM = "text/event-stream"


def flow_not_found(identifier: str) -> errors.NotFound:
    return errors.NotFound(f"Flow identifier {identifier} not found")


# Before 1.13 the flow lookup these routes share (a dependency) takes a `user_id` query parameter of its own.
WEBHOOK_OP = "POST /api/v1/webhook/{flow_id_or_name}"
# Any text passes the parameter's type (str | UUID); the lookup reads it as a UUID later.
FlowOwner = Annotated[str | UUID | None, Query(alias="user_id")]


def lookup_owner(identifier: str, owner: str | UUID | None) -> UUID | None:
    """The release's `user_id` parameter as its flow lookup reads it: for an endpoint name only, and only when
    not empty; text that is not a UUID fails with Python's message (Langflow's 500, the mock's 400)."""
    if not owner or as_uuid(identifier) is not None:
        return None
    try:
        return owner if isinstance(owner, UUID) else UUID(owner)
    except ValueError as exc:
        raise errors.BadRequest(str(exc)) from exc


async def flow_before_credentials(request: Request, flow_id_or_name: str,
                                  flow_owner: FlowOwner = None) -> RunTarget | None:
    """Before 1.13 the run routes find their flow in a dependency that comes before the credentials' (Langflow's
    get_flow_by_id_or_endpoint_name): an unknown flow, or a `user_id` that is no UUID, is answered before a
    missing or wrong key and before a body that does not validate. That lookup has its own `user_id` query
    parameter: an endpoint name finds the first flow made with it, whoever's it is, unless `user_id` names the
    owner. 1.13 looks the caller's flow up in the route (None here)."""
    state = app_state(request)
    route = request.scope.get("route")
    if not state.profile.has_param(f"{request.method} {getattr(route, 'path', '')}", "user_id"):
        return None
    flow = state.store.flows.run_target_of(flow_id_or_name, owner=lookup_owner(flow_id_or_name, flow_owner))
    if flow is None:
        raise flow_not_found(flow_id_or_name)
    return flow


FlowFirst = Annotated[RunTarget | None, Depends(flow_before_credentials)]
FLOW_FIRST = "found"  # the parameter a run route takes FlowFirst as


@functools.cache
def without_flow_first(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The run route's endpoint for a release without the `user_id` lookup (1.13: flow_before_credentials finds
    nothing there): the same endpoint, name, text and parameters but FlowFirst, which it is given as None. FastAPI
    then resolves one dependency less per request (its path and query parameters validated again, its cache key),
    and nothing a client sees changes: the dependency could refuse nothing in that release, and its `user_id`
    query parameter is not in that release's OpenAPI document (profile params_absent)."""
    signature = inspect.signature(endpoint)

    async def endpoint_without(**values: Any) -> Any:
        return await endpoint(**values, **{FLOW_FIRST: None})

    functools.update_wrapper(endpoint_without, endpoint)  # (FastAPI reads the annotations in the endpoint's module)
    endpoint_without.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in signature.parameters.values() if p.name != FLOW_FIRST])
    return endpoint_without


def released_endpoint(operation: str, endpoint: Callable[..., Any], profile: Profile) -> Callable[..., Any]:
    """A route's endpoint as `profile`'s release serves `operation` ('METHOD /path'): see without_flow_first."""
    code = getattr(endpoint, "__code__", None)  # (its argument names: cheaper than a signature, at every start)
    if code is None or FLOW_FIRST not in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]:
        return endpoint
    return endpoint if profile.has_param(operation, "user_id") else without_flow_first(endpoint)


def resolve_flow(state: AppState, identifier: str, user_id: UUID, found: RunTarget | None = None) -> RunTarget:
    """A UUID or an endpoint_name; a flow *name* is not found (fact 10). A flow not the caller's, an example
    flow included, is not found either (before 1.13: found, by flow_before_credentials, and refused with a
    403)."""
    flow = found if found is not None else state.store.flows.run_target(identifier, user_id=user_id)
    if flow is not None and flow.user_id != user_id:
        if state.profile.run.foreign_flow == "forbidden":
            raise errors.Forbidden(errors.NO_RUN_PERMISSION)
        flow = None
    if flow is None:
        raise flow_not_found(identifier)
    return flow


def global_vars(request: Request) -> dict[str, str]:
    """X-LANGFLOW-GLOBAL-VAR-<NAME> headers, by upper-case name (fact 48)."""
    return global_var_headers(request.headers)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Langflow parses with orjson, which takes no NaN or Infinity


def strict_json(raw: str | bytes) -> Any:
    return json.loads(raw, parse_constant=_no_constants)


async def _form_request(request: Request) -> SimplifiedAPIRequest:
    """1.13's multipart /run body: its string fields, and `tweaks` as JSON text (skipped when it is not)."""
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - Langflow: any failure to read the body is an empty request
        return SimplifiedAPIRequest()
    data: dict[str, Any] = {name: value for name in FORM_FIELDS if isinstance(value := form.get(name), str)}
    tweaks = form.get("tweaks")
    await form.close()  # uploaded parts are not read: their spooled files go now
    if isinstance(tweaks, str) and tweaks:
        try:
            data["tweaks"] = strict_json(tweaks)
        except (ValueError, RecursionError):
            pass
    try:
        return SimplifiedAPIRequest.model_validate(data)
    except ValidationError:
        return SimplifiedAPIRequest()


async def flat_request(state: AppState, request: Request) -> SimplifiedAPIRequest:
    """The flat body style: a body that does not validate becomes an empty request, silently (fact 9); so
    does one whose tweaks the release would not take. 1.13 also reads a multipart/form-data body's fields."""
    multipart = request.headers.get("content-type", "").lower().startswith("multipart/form-data")
    if multipart and state.profile.run.form_bodies:
        return await _form_request(request)
    raw = await request.body()
    if not raw:
        return SimplifiedAPIRequest()
    try:
        body = strict_json(raw)
        parsed = SimplifiedAPIRequest.model_validate(body) if isinstance(body, dict) else SimplifiedAPIRequest()
    except (ValueError, RecursionError, ValidationError):
        return SimplifiedAPIRequest()
    if legacy_tweak_errors(state, parsed.tweaks):
        return SimplifiedAPIRequest()
    return parsed


def legacy_tweak_errors(state: AppState, tweaks: Tweaks | None) -> list[Any]:
    """Before 1.13 a tweak's value is a string or an object: pydantic's errors for the others, else []."""
    if tweaks is None or state.profile.run.tweak_values == "scalars":
        return []
    try:
        LegacyTweaks.model_validate(tweaks.root)
    except ValidationError as exc:
        return list(exc.errors(include_url=False))
    return []


def refuse_legacy_tweaks(state: AppState, tweaks: Tweaks | None, *where: str) -> None:
    """The 422 FastAPI answers when the release's body model refuses the tweaks at `where`."""
    found = legacy_tweak_errors(state, tweaks)
    if found:
        raise RequestValidationError([{**e, "loc": ("body", *where, *e["loc"])} for e in found])


def run_request(state: AppState, flow: RunTarget, body: SimplifiedAPIRequest, user_id: UUID,
                tweaks: dict[str, Any], variables: dict[str, str]) -> RunRequest:
    return RunRequest(flow_id=flow.id, flow_name=flow.name, endpoint_name=flow.endpoint_name, data=flow.data,
                      user_id=user_id, session_id=body.session_id, input_value=body.input_value,
                      input_type=body.input_type or "chat", output_type=body.output_type,
                      output_component=body.output_component or None, tweaks=tweaks,
                      global_vars=variables, refuse_hitl=state.profile.run.hitl_refused,
                      variable_fields=state.variable_fields(user_id), file_access_check=True,
                      memory_capture=memory_capture(flow.user_id, user_id), graph_check=True,
                      catalog_blocked=component_blocks(state))


def refusal(state: AppState, flow: RunTarget, body: SimplifiedAPIRequest, tweaks: dict[str, Any],
            blocked: frozenset[str] = frozenset()) -> errors.MockHTTPError | None:
    """What refuses the run before it starts: an input_value/tweak clash (fact 12), then (1.13) a graph using a
    component the catalog policy `blocked`, then tweaks of protected fields. A stream carries the refusal's text
    as its error event; JSON gets the error."""
    conflict = tweak_conflict(body.input_value, body.input_type, tweaks)
    if conflict is not None:
        return errors.BadRequest(conflict)
    if blocked:
        from mock_langflow.store.policy_bundle import refusal as catalog

        if text := catalog([flow.data], blocked):
            return errors.BadRequest(text)
    if state.profile.run.tweak_floor:
        return refused_tweaks(flow.data, tweaks, policy=state.runner.tweaks_policy)
    return None


def logging_builds(state: AppState, run: RunRequest) -> Callable[[Observer], Observer]:
    """What puts the logging of a run's vertex builds around an observer: Langflow's graph loop logs each vertex it
    builds under the flow's id and the run's (every release, its vertex-build storage being on by default)."""
    return lambda inner: ResultBuilds(state.store.jobs, state.ids, state.clock, run, inner)


def v1_graph_failed(text: str) -> errors.MockHTTPError:
    """/run's answer to a graph lacking a part (every release): the loader's ValueError is a 404 with its text
    when that says "not found" (an edge naming no node), else a 500 as a failed run's; process_tweaks' TypeError
    a 500 too."""
    return errors.NotFound(text) if "not found" in text else errors.LangflowServerError(text)


async def run_or_raise(state: AppState, run: RunRequest,
                       failed: Callable[[str], errors.MockHTTPError] = errors.LangflowServerError,
                       graph_failed: Callable[[str], errors.MockHTTPError] = v1_graph_failed) -> Any:
    """A non-streamed run's result, its vertex builds logged; the runner's failures as the answers Langflow gives
    them: `failed` makes the 500 of a run that failed (/run's: the error's fields as JSON text in `detail`),
    `graph_failed` that of a graph lacking a part (GraphFault)."""
    try:
        return await state.runner.run(run, logging_builds(state, run)(Observer()))
    except (NeedsHuman, CatalogBlocked) as exc:
        raise errors.BadRequest(exc.reason) from exc
    except GraphFault as exc:
        raise graph_failed(str(exc)) from exc
    except RunError as exc:
        raise failed(graph_error_text(exc)) from exc
    except Disconnect as exc:
        raise errors.DropConnection() from exc


def error_stream(message: str) -> StreamingResponse:
    async def body() -> Any:
        yield error_block(message)

    return StreamingResponse(body(), media_type=EVENT_STREAM)


async def _run(state: AppState, request: Request, flow_id_or_name: str, user_id: UUID,
               input_request: SimplifiedAPIRequest | None, stream: bool, found: RunTarget | None) -> Any:
    flow = resolve_flow(state, flow_id_or_name, user_id, found)
    if input_request is not None:
        refuse_legacy_tweaks(state, input_request.tweaks, "input_request", "tweaks")
    body = input_request if input_request is not None else await flat_request(state, request)
    inputs = {"input_value": body.input_value} if body.input_value is not None else {}
    tweaks = tweak_map(body.tweaks)
    run = run_request(state, flow, body, user_id, tweaks, global_vars(request))
    # 1.13's end-user scope: its 401 comes before the stream starts
    run.scoped(serving_scope(state, request.headers, run.session_id, str(flow.id)))
    refused = refusal(state, flow, body, tweaks, run.catalog_blocked)
    if refused is not None:
        if stream:
            return error_stream(str(refused))
        raise refused
    if stream:
        return StreamingResponse(run_stream(state.runner, run, inputs, logging_builds(state, run)),
                                 media_type=EVENT_STREAM)
    # (before 1.13 a failed graph is a ValueError too, which /run maps by its words: profile run.failed_not_found)
    failed = v1_graph_failed if state.profile.run.failed_not_found else errors.LangflowServerError
    return json_response(events.v1_run_response(await run_or_raise(state, run, failed), inputs))


@router.post("/run/{flow_id_or_name}", response_model=None, responses=answers(EVENT_STREAM))
async def simplified_run_flow(
    request: Request, flow_id_or_name: str, found: FlowFirst, user: ApiKeyUser,
    input_request: Annotated[SimplifiedAPIRequest | None, Body()] = None,
    context: Annotated[dict[str, Any] | None, Body()] = None, stream: bool = False,
) -> Any:
    """POST /api/v1/run/{flow_id_or_name}: an API key only; flat or {"input_request", "context"} body."""
    # The state comes off the request, not from StateDep: one dependency less to resolve on the hot path.
    return await _run(app_state(request), request, flow_id_or_name, user.id, input_request, stream, found)


@router.post("/run/session/{flow_id_or_name}", response_model=None, include_in_schema=False)
async def simplified_run_flow_session(
    request: Request, flow_id_or_name: str, found: FlowFirst, user: CurrentUser, state: StateDep,
    input_request: Annotated[SimplifiedAPIRequest | None, Body()] = None,
    context: Annotated[dict[str, Any] | None, Body()] = None, stream: bool = False,
) -> Any:
    """POST /api/v1/run/session/{flow_id_or_name}: /run for a browser session (a JWT or an API key), behind
    Langflow's agentic-experience flag (on by default from 1.13; profile variables.agentic_default)."""
    if not state.settings.agentic_on(state.profile.variables.agentic_default):  # LANGFLOW_AGENTIC_EXPERIENCE
        raise errors.NotFound(errors.ENDPOINT_NOT_AVAILABLE)
    return await _run(state, request, flow_id_or_name, user.id, input_request, stream, found)


# Typed for /openapi.json as Langflow types it (the route's own answer is not checked against it).
@router.post("/run/advanced/{flow_id_or_name}", response_model=None,
             responses={200: {"model": documented("RunResponse")}})
async def experimental_run_flow(
    flow_id_or_name: str, found: FlowFirst, user: ApiKeyUser, state: StateDep,
    inputs: Annotated[list[InputValueRequest] | None, Body()] = None,
    outputs: Annotated[list[str] | None, Body()] = None,
    tweaks: Annotated[Tweaks | None, Body()] = None,
    stream: Annotated[bool, Body()] = False,
    session_id: Annotated[str | None, Body()] = None,
) -> dict[str, Any]:
    """POST /api/v1/run/advanced/{flow_id_or_name}: several inputs at once; always JSON (`stream` is ignored).
    A session_id is looked up in Langflow's chat cache, where nothing but a build's graph is kept (under its flow
    id, for an hour): any other is a 404, and a cached one is no session either (profile run.cached_session)."""
    refuse_legacy_tweaks(state, tweaks, "tweaks")
    flow = resolve_flow(state, flow_id_or_name, user.id, found)
    if session_id and not state.runner.graph_cached(session_id):
        raise errors.NotFound(f"Session {session_id} not found")
    if session_id and state.profile.run.cached_session == "fails":
        # the cache holds {"result": graph, "type": ...}: unpacked as (graph, artifacts), the graph is "result"
        raise errors.ServerError("'str' object has no attribute 'session_id'")
    if flow.data is None:
        raise errors.NotFound(f"Flow {flow.id} has no data")
    if blocked := catalog_refusal(state, [flow.data]):  # 1.13, before the tweaks are read
        raise errors.BadRequest(blocked)
    tweak_values = tweak_map(tweaks)
    if state.profile.run.tweak_floor and (refused := refused_tweaks(flow.data, tweak_values,
                                                                    policy=state.runner.tweaks_policy)):
        raise refused
    # 1.13 under LANGFLOW_TWEAKS_POLICY=off: an input aimed at components is refused too (permissive elsewhere)
    if refused := refused_inputs((c for i in inputs or [] for c in i.components or []), state.runner.tweaks_policy):
        raise refused
    # None: one run with an empty input_value; [] (Langflow's graph then runs once with no inputs): no input.
    requests: list[InputValueRequest | None] = (
        [InputValueRequest(components=[], input_value="")] if inputs is None else list(inputs) or [None])
    entries = []
    session = str(flow.id)
    run_id = state.ids.uuid()  # Langflow runs one graph, one run, input after input
    for index, item in enumerate(requests):
        # An input's own `session` is not read (Langflow's run takes the body's session_id or the flow id).
        # The owner's request fires one memory-base capture once its last input ran (no workflow job: not counted).
        run = RunRequest(flow_id=flow.id, flow_name=flow.name, endpoint_name=flow.endpoint_name, data=flow.data,
                         user_id=user.id, session_id=session_id or None, input_type="any", output_type="any",
                         tweaks=tweak_values, refuse_hitl=state.profile.run.hitl_refused, run_id=run_id,
                         file_access_check=True, graph_check=True,
                         memory_capture=memory_capture(flow.user_id, user.id, fires=index == len(requests) - 1),
                         capture_counted=False)
        given: dict[str, Any] = {}
        if item is not None:
            given = {"input_value": item.input_value or ""}  # Langflow: a null input_value is ""
            run.input_type = item.type or "any"
            if item.components:
                run.tweaks = {**run.tweaks, **{c: dict(given) for c in item.components}}
            else:
                run.input_value = given["input_value"]
        # every release answers a failed graph or run here with a 500 whose detail is the error's text alone
        result = await run_or_raise(state, run, errors.ServerError, errors.ServerError)
        session = result.session_id
        # Outputs asked for by id or display name, as Langflow's graph matches them; none asked: the outputs.
        selected = ([v for v in result.vertices if v.node.id in outputs or v.node.display_name in outputs]
                    if outputs else result.outputs())
        entries.append({"inputs": given, "outputs": [events.result_data(v, advanced=True) for v in selected]})
    return {"session_id": session, "outputs": entries}
