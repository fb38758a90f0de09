"""/api/v1/policy-bundle and /api/v1/catalog-policy (1.13): the install-wide governance bundle, its history and
rollback, and the catalog's blocked components and templates with the flows using each component. The route table
only: the handlers (routers/policy_handlers.py) and their shapes are imported when a route is first analysed
(routing.Later), so the feature costs no start-up memory."""

from __future__ import annotations

from mock_langflow.routing import Later, api_router, documented

HANDLERS, SHAPES = "mock_langflow.routers.policy_handlers", "mock_langflow.schemas.policy"
# method, path ("-": the bare prefix, also served with a slash that the document leaves out), handler, answer
BUNDLE = """\
GET  -                      read_policy_bundle          PolicyBundleRead
PUT  -                      replace_policy_bundle       PolicyBundleRead
GET  /history               read_policy_bundle_history  PolicyBundleHistoryRead
POST /rollback/{revision}   rollback_policy_bundle      PolicyBundleRead
"""
CATALOG = """\
GET  /components   get_component_policy       CatalogPolicyRead
PUT  /components   replace_component_policy   CatalogPolicyRead
GET  /templates    get_template_policy        CatalogPolicyRead
PUT  /templates    replace_template_policy    CatalogPolicyRead
GET  /usage        get_component_usage        CatalogPolicyUsageRead
GET  /usage/flows  get_component_usage_flows  CatalogPolicyUsageFlowsRead
"""

bundle_router = api_router(prefix="/policy-bundle", tags=["Policy Bundle"])
catalog_router = api_router(prefix="/catalog-policy", tags=["Catalog Policy"])
answers: dict[str, dict[int, dict[str, object]]] = {}  # one per answer shape, shared by its routes
for router, table in ((bundle_router, BUNDLE), (catalog_router, CATALOG)):
    for method, path, name, shape in (line.split() for line in table.splitlines()):
        responses = answers.setdefault(shape, {200: {"model": documented(shape, SHAPES)}})
        for form, shown in (("", True), ("/", False)) if path == "-" else ((path, True),):
            router.add_api_route(form, Later(HANDLERS, name), methods=[method], include_in_schema=shown,
                                 response_model=None, responses=responses)
