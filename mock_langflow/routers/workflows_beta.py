"""/api/v2/workflows: the beta Workflow API of Langflow 1.8 ({flow_id, background, stream, inputs}), behind the
developer-API flag (real-1.8/NOTES.md section 3).

Runs are v2 jobs like those of 1.13's API (routers/workflows.py): the same job rows, JobManager and stop, shown
in 1.8's shapes. Only the three routes 1.8 has exist; there is no stream (`stream: true` is a 501) and no
event re-attach.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request
from pydantic import AfterValidator

from mock_langflow import errors
from mock_langflow.auth import ApiKeyUser
from mock_langflow.clock import ts_offset
from mock_langflow.deps import StateDep
from mock_langflow.engine.graph import run_graph_fault, types_of
from mock_langflow.engine.jobs import job_spec
from mock_langflow.engine.runner import RunRequest, RunResult, VertexResult
from mock_langflow.routers.run import global_vars
from mock_langflow.routers.workflows import job_failed, workflow_job
from mock_langflow.routing import api_router
from mock_langflow.schemas.workflows import WorkflowStopResponse, check_job_id
from mock_langflow.schemas.workflows_beta import (
    ComponentOutput,
    ErrorDetail,
    WorkflowExecutionRequest,
    WorkflowExecutionResponse,
    WorkflowJobResponse,
    WorkflowStopRequest,
)
from mock_langflow.state import AppState
from mock_langflow.store.models import JobRow


async def developer_api_gate(state: StateDep) -> None:
    """Off (Langflow 1.8's default), every v2 workflow call is a 403. A router dependency: it comes before the
    API key and the body's validation; only a body that is not JSON at all fails earlier (422)."""
    if state.profile.workflows.developer_api_gate and not state.settings.developer_api_enabled:
        raise errors.DeveloperApiDisabled()


router = api_router(prefix="/workflows", tags=["Workflow"],
                   dependencies=[Depends(developer_api_gate)])


def flat_inputs(inputs: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Langflow 1.8's parse_flat_inputs: `<component>.<param>` keys, split at the first dot, become v1 tweaks
    (the component by node id or display name, the param a field of its template: process_tweaks ignores the
    rest); a key without a dot is a whole-component tweak if its value is a dict, and is dropped otherwise.

    The first key in JSON order whose param is `session_id`, whatever component it names, is the run's session,
    and it wins over every component's own session_id (wf_doc_inputs_two_session_ids). `code` is never tweaked.
    """
    tweaks: dict[str, dict[str, Any]] = {}
    session: str | None = None
    for key, value in inputs.items():
        component, dot, param = key.partition(".")
        if not dot:
            if isinstance(value, dict):
                tweaks.setdefault(key, {}).update(value)
        elif param == "session_id":
            if session is None and value is not None:
                session = str(value)
        else:
            tweaks.setdefault(component, {})[param] = value
    for fields in tweaks.values():
        fields.pop("session_id", None)
        fields.pop("code", None)
    return tweaks, session


def _describe(vertex: VertexResult) -> dict[str, Any]:
    types = next((found for o in vertex.node.outputs if (found := types_of([o]))), None) or ["Message"]
    value = vertex.primary
    content = value.as_text if vertex.node.is_output else value.data
    return ComponentOutput(type=str(types[0]).lower(), content=content,
                           metadata={"component_type": vertex.node.type}).model_dump(mode="json")


def terminal_outputs(result: RunResult) -> dict[str, Any]:
    """Langflow 1.8's converter: one entry per terminal vertex (no successors in this run), by vertex id; only an
    output vertex has text `content`, a data vertex its data, anything else null."""
    return {v.node.id: _describe(v) for v in result.vertices if not v.successors}


def _errors(job: JobRow, flow_id: str) -> list[ErrorDetail]:
    if job.status != "failed":
        return []
    # the graph wraps what a component raised in ValueError("Error running graph: ..."): always its class
    return [ErrorDetail(error=f"Error running graph: {job.error}", code="EXECUTION_ERROR",
                        details={"flow_id": flow_id, "error_type": "ValueError"})]


def response_body(state: AppState, job: JobRow, *, flow_id: str, inputs: dict[str, Any]) -> WorkflowExecutionResponse:
    """A finished run. A component failure is still a 200, with status "failed" (wf_doc_sync_component_error)."""
    outputs = (job.result or {}).get("outputs", {}) if job.status == "completed" else {}
    return WorkflowExecutionResponse(flow_id=flow_id, job_id=str(job.id), status=job.status,
                                     created_timestamp=ts_offset(state.clock.now()), errors=_errors(job, flow_id),
                                     inputs=inputs, outputs=outputs)


def job_body(state: AppState, job: JobRow, *, flow_id: str) -> WorkflowJobResponse:
    """A job that is not completed; `created_timestamp` is the time of this answer, as in Langflow 1.8."""
    links = {"status": f"/api/v2/workflows?job_id={job.id}", "stop": "/api/v2/workflows/stop"}
    return WorkflowJobResponse(job_id=str(job.id), flow_id=flow_id, created_timestamp=ts_offset(state.clock.now()),
                               status=job.status, links=links)


@router.post("")
async def execute_workflow(body: WorkflowExecutionRequest, user: ApiKeyUser, state: StateDep,
                           request: Request) -> WorkflowExecutionResponse | WorkflowJobResponse:
    """POST /api/v2/workflows: run a flow and answer its result, or submit it as a background job.

    The checks come in Langflow 1.8's order: the flow, then `background`, then `stream` (501), then the flow's
    data (a synchronous run: 400; a background one: Langflow's catch-all 500), then the graph made of it.
    """
    # 1.8's get_flow_by_id_or_endpoint_name: any user's flow by id, the caller's by endpoint name
    flow = state.store.flows.find_any(body.flow_id, owner=user.id)
    if flow is None:
        raise errors.WorkflowFlowNotFound(body.flow_id)
    if body.background:
        if flow.data is None:
            raise errors.WorkflowInternalError(f"Flow {flow.id} has no data", flow_id=body.flow_id)
    elif body.stream:
        raise errors.StreamingNotImplemented()
    elif flow.data is None:
        raise errors.InvalidFlowData(flow.id)
    # both modes make the graph in the request (process_tweaks, Graph.from_payload): a graph lacking a part fails
    # a synchronous run's try ("Failed to build graph from flow data: ...", 400), a background submit's catch-all
    if (fault := run_graph_fault(flow.data)):
        if body.background:
            raise errors.WorkflowInternalError(fault, flow_id=body.flow_id)
        raise errors.GraphNotBuilt(body.flow_id, fault)
    tweaks, session = flat_inputs(body.inputs or {})
    # No input_value: the Chat Input only gets text through an `…input_value` key (wf_doc_sync_minimal).
    run = RunRequest(flow_id=flow.id, flow_name=flow.name, endpoint_name=flow.endpoint_name, data=flow.data,
                     user_id=user.id, session_id=session, tweaks=tweaks, global_vars=global_vars(request),
                     output_type="any")
    # A background job stays in progress a little while even when its flow is fast, as real ones do (a poll
    # right after the submit sees in_progress), but its flow starts at once: a stop right after the submit
    # still finds the Chat Input's message stored (wf_doc_monitor_after_stop).
    hold = state.settings.job_latency_ms / 1000 if body.background else 0.0
    # 1.8 runs both through the graph's own loop under the job's id (graph.set_run_id): each vertex's result is
    # logged as its build, as a /run's is, not the build loop's build data
    spec = job_spec(state.llm, "workflow", run, min_run_s=hold, outputs=terminal_outputs, log_builds=False,
                    logs_results=True)
    job = state.jobs.create(spec, user_id=user.id)
    if body.background:
        state.jobs.start(job, spec)
        return job_body(state, job, flow_id=body.flow_id)
    await state.jobs.execute(job, spec)
    finished = state.store.jobs.get(job.id)
    if finished is None:  # the flow, and its jobs with it, was deleted while the run went on
        raise errors.WorkflowFlowNotFound(body.flow_id)
    return response_body(state, finished, flow_id=body.flow_id, inputs=body.inputs or {})


@router.get("")
async def get_workflow_status(user: ApiKeyUser, state: StateDep,
                              job_id: Annotated[str | UUID | None, Query(), AfterValidator(check_job_id)] = None
                              ) -> WorkflowExecutionResponse | WorkflowJobResponse:
    """GET /api/v2/workflows?job_id=: the response once completed (with `inputs: {}`), a 500 once failed, and
    the job shape otherwise (queued, in progress, cancelled). Other query parameters, such as the docs'
    `stream` and `sequence_id`, are ignored."""
    if job_id is None:
        raise errors.MissingJobId()
    job = workflow_job(state, job_id, None)  # 1.8 looks the job up by its id alone, whoever started it
    if job.status == "completed":
        return response_body(state, job, flow_id=str(job.flow_id), inputs={})
    if job.status == "failed":
        raise job_failed(state, job)
    return job_body(state, job, flow_id=str(job.flow_id))


@router.post("/stop")
async def stop_workflow(body: WorkflowStopRequest, user: ApiKeyUser, state: StateDep) -> WorkflowStopResponse:
    """POST /api/v2/workflows/stop: cancel the job. Unlike 1.13, a finished job (completed or failed, a
    synchronous run's too) is "cancelled successfully" as well, and from then on reads as cancelled."""
    job = workflow_job(state, body.job_id, None, missing=errors.StopJobNotFound)  # anyone's, as for the status
    if job.status == "cancelled":
        return WorkflowStopResponse(job_id=str(job.id), message=errors.job_already_cancelled(job.id))
    state.jobs.cancel(job.id)
    state.store.jobs.update(job.id, status="cancelled", finished_at=job.finished_at or state.clock.now())
    return WorkflowStopResponse(job_id=str(job.id), message=errors.job_cancelled(job.id))
