"""DeferredRoute: a route whose analysis waits still serves exactly what FastAPI's own route would."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mock_langflow.routing import DeferredRoute, api_router, mount


class Item(BaseModel):
    name: str
    size: int = 1


def endpoints(router: APIRouter) -> None:
    @router.post("/items/{item_id}", status_code=201)
    async def create_item(item_id: int, item: Item, verbose: bool = False) -> Item:
        """Create one."""
        return Item(name=f"{item.name}-{item_id}{'!' if verbose else ''}", size=item.size)

    @router.get("/items")
    async def list_items() -> list[Item]:
        return [Item(name="a")]


def answers(client: TestClient) -> list[tuple[int, object]]:
    calls = [client.post("/api/items/7?verbose=true", json={"name": "x", "size": 2}),
             client.post("/api/items/seven", json={"name": "x"}),
             client.post("/api/items/7", json={"size": 2}),
             client.get("/api/items"),
             client.put("/api/items"),
             client.get("/api/nothing")]
    return [(r.status_code, r.json() if r.headers.get("content-type") == "application/json" else r.text)
            for r in calls]


def app_with(route_class: type) -> FastAPI:
    router = APIRouter(route_class=route_class)
    endpoints(router)
    app = FastAPI()
    app.include_router(router, prefix="/api")
    return app


def test_a_deferred_router_answers_and_documents_like_fastapis_own() -> None:
    deferred, plain = app_with(DeferredRoute), app_with(APIRouter().route_class)
    with TestClient(deferred) as a, TestClient(plain) as b:
        assert answers(a) == answers(b)
        assert answers(a)[0] == (201, {"name": "x-7!", "size": 2})
    assert deferred.openapi() == plain.openapi()


def test_the_route_analyses_its_endpoint_only_when_asked() -> None:
    router = APIRouter(route_class=DeferredRoute)
    endpoints(router)
    route = router.routes[0]
    assert "_deferred" in route.__dict__ and route.name == "create_item" and route.methods == {"POST"}
    # Reading what only the analysis yields runs it, once, with FastAPI's results.
    assert route.dependant.path_params[0].name == "item_id"
    assert "_deferred" not in route.__dict__ and route.description == "Create one."
    assert route.response_model is Item and route.status_code == 201


def test_a_deferred_route_mounted_on_the_app_itself_serves() -> None:
    app = FastAPI()
    app.router.route_class = DeferredRoute
    endpoints(app.router)
    with TestClient(app) as client:
        assert client.post("/items/3", json={"name": "n"}).json() == {"name": "n-3", "size": 1}
        assert client.get("/items").json() == [{"name": "a", "size": 1}]


def test_mounted_routes_answer_and_document_like_an_included_router() -> None:
    # mount() puts each route on the app itself; an app built that way must be the included one on the wire:
    # the same answers (405 with its allow header, 404, 422 bodies) and the same OpenAPI document.
    included = app_with(DeferredRoute)
    mounted = FastAPI()
    router = api_router(tags=["Items"])
    endpoints(router)
    mount(mounted, router, prefix="/api")
    reference = FastAPI()
    tagged = api_router(tags=["Items"])
    endpoints(tagged)
    reference.include_router(tagged, prefix="/api")
    with TestClient(mounted) as a, TestClient(included) as b:
        assert answers(a) == answers(b)
        put = a.put("/api/items")
        assert (put.status_code, put.headers["allow"]) == (405, "GET")
    assert mounted.openapi() == reference.openapi()


def test_a_mounted_route_is_analysed_when_it_first_serves_and_alone() -> None:
    app = FastAPI()
    router = api_router()
    endpoints(router)
    mount(app, router, prefix="/api")
    create, listing = app.router.routes[-2:]
    assert "_deferred" in create.__dict__ and "_deferred" in listing.__dict__
    with TestClient(app) as client:
        assert client.get("/api/items").json() == [{"name": "a", "size": 1}]
    assert "_deferred" not in listing.__dict__ and "_deferred" in create.__dict__
