"""Every route of the application declares who may call it."""

from fastapi import routing
from fastapi.dependencies.models import Dependant

from app.auth import Authorize, Public


def _rules(dependant: Dependant) -> list[object]:
    found = []
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Authorize | Public):
            found.append(dependency.call)
        found.extend(_rules(dependency))
    return found


def api_routes(app) -> list:
    """Every API route with its full path, including those of included routers.

    FastAPI 0.16x mounts included routers lazily, so ``app.routes`` lists the routers
    rather than their routes; ``iter_route_contexts`` resolves them.
    """
    contexts = getattr(routing, "iter_route_contexts", None)
    routes = list(contexts(app.routes)) if contexts else list(app.routes)
    return [
        route
        for route in routes
        if isinstance(route.original_route if contexts else route, routing.APIRoute)
    ]


def test_every_route_has_a_rule(live_server):
    routes = api_routes(live_server.app)
    assert len(routes) > 40
    missing = [
        f"{sorted(route.methods)} {route.path}"
        for route in routes
        if not _rules(route.dependant)
    ]
    assert missing == [], "routes without Authorize(...) or Public(): " + ", ".join(
        missing
    )


def test_no_unexpected_public_routes(live_server):
    public = {
        (method, route.path)
        for route in api_routes(live_server.app)
        for method in route.methods
        if any(isinstance(rule, Public) for rule in _rules(route.dependant))
        and not any(isinstance(rule, Authorize) for rule in _rules(route.dependant))
    }
    allowed = {
        ("GET", "/healthz"),
        ("POST", "/v1/sessions"),
        ("DELETE", "/v1/sessions/current"),
        ("DELETE", "/v1/sessions/{token}"),
    }
    assert public - allowed == set()


def test_project_routes_use_project_scope(live_server):
    """A route with ``project_id`` in its path must check the project, not the site."""
    wrong = []
    for route in api_routes(live_server.app):
        if "{project_id}" not in route.path:
            continue
        for rule in _rules(route.dependant):
            if isinstance(rule, Authorize) and rule.scope != "project":
                wrong.append(f"{sorted(route.methods)} {route.path} scope={rule.scope}")
    assert wrong == []
