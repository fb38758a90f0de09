"""1.13's audit reads: GET /api/v1/audits (and its export), /flows/audits and /projects/audits. Only the table of
routes is here: the handlers (routers/audits_api.py), their shapes and the trail's store are imported when a
route is first analysed (routing.Later). Langflow registers /audits and /flows/audits before its flow routes and
/projects/audits before its project routes, so that neither is read as a flow or project id (app.V1_ROUTERS)."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from mock_langflow.responses import answers
from mock_langflow.routing import DeferredRoute, Later, api_router

HANDLERS, SHAPES = "mock_langflow.routers.audits_api", "mock_langflow.schemas.audits"
router = api_router()
projects_router = api_router()


def add(target: Any, path: str, name: str, tags: list[str], shape: str | None, **options: Any) -> None:
    if shape is not None:
        options["response_model"] = Later(SHAPES, shape)
    target.routes.append(DeferredRoute(path, Later(HANDLERS, name), methods=["GET"], tags=tags, **options))


# The query strings are parsed by the handlers (strictly, as Langflow's), and documented as Langflow documents them.
add(router, "/audits", "read_audits", ["Audit"], "AuditFeedResponse", openapi_extra=Later(HANDLERS, "FEED_DOC"))
add(router, "/audits/", "read_audits", ["Audit"], "AuditFeedResponse", include_in_schema=False)
# (Langflow's document says JSON; the export is CSV or NDJSON, as its source sends it)
add(router, "/audits/export", "export_audits", ["Audit"], None, openapi_extra=Later(HANDLERS, "EXPORT_DOC"),
    responses=answers("text/csv", "application/x-ndjson"), response_class=Response)
add(router, "/flows/audits", "read_flow_audits", ["Flows"], "FlowAuditPage", openapi_extra=Later(HANDLERS, "FLOW_DOC"))
add(projects_router, "/projects/audits", "read_project_audits", ["Projects"], "ProjectAuditPage",
    openapi_extra=Later(HANDLERS, "PROJECT_DOC"))
