"""Build the FastAPI app of a stub, and the routes for specs that have no generated ones.

Generated stub packages pass their own routers (one module per tag, each route body being
``return await handle(request, "<operationId>")``); :func:`build_routers` makes equivalent
routes at run time, for tests and foreign specs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .engine import Engine
from .errors import NOT_FOUND, SERVER_ERROR, clip
from .limits import BodyLimitMiddleware
from .oauth import token_endpoint, token_paths
from .path_params import param_name, segments
from .settings import StubSettings
from .spec_index import METHODS
from .tenancy import DEFAULT_KEY_HEADER, KeyHeader

logger = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]


async def handle(request: Request, operation_id: str) -> Response:
    """Answer a request for ``operation_id``; what every generated route calls."""
    engine: Engine = request.app.state.stub_engine
    return await engine.handle(request, operation_id)


def create_app(
    spec: Mapping[str, Any],
    routers: Sequence[APIRouter],
    settings: StubSettings | None = None,
    key_header: KeyHeader = DEFAULT_KEY_HEADER,
) -> FastAPI:
    """A FastAPI app serving ``routers`` with the stub engine for ``spec``; callers present
    their API key in ``key_header``.

    FastAPI's own schema and docs are off: ``GET /openapi.json`` serves ``spec`` itself,
    without auth. Trailing slashes are never redirected (``/v1/boms`` is 404, as on the
    real API).
    """
    settings = settings or StubSettings()
    engine = Engine(spec, settings, key_header)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.close()

    info = spec.get("info") if isinstance(spec.get("info"), Mapping) else {}
    app = FastAPI(
        title=str((info or {}).get("title", "stub")),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.stub_engine = engine

    async def openapi(_: Request) -> Response:
        return JSONResponse(spec)

    app.add_api_route("/openapi.json", openapi, methods=["GET"], include_in_schema=False)
    for path in token_paths(spec):  # OAuth2 client credentials, served for its clients
        app.add_api_route(
            path,
            token_endpoint(engine.tokens, lambda: engine.rt.store),
            methods=["POST"],
            include_in_schema=False,
        )
    for route in most_specific_first(routers):
        app.router.routes.append(route)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        headers = dict(getattr(exc, "headers", None) or {})
        if status == 404:
            body = {"detail": NOT_FOUND, "code": "not_found"}
        elif status == 405:
            body = {
                "detail": f'Method "{request.method}" not allowed.',
                "code": "method_not_allowed",
            }
            allowed = engine.rt.index.path_methods(request.scope["path"])
            if allowed:
                headers["Allow"] = ", ".join(allowed)
        else:
            body = {"detail": clip(str(getattr(exc, "detail", "Error.")))}
        return JSONResponse(body, status_code=status, headers=headers)

    async def server_error(_: Request, exc: Exception) -> Response:
        logger.error("unhandled error: %r", exc)
        return JSONResponse({"detail": SERVER_ERROR}, status_code=500)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    return app


def most_specific_first(routers: Sequence[APIRouter]) -> list[BaseRoute]:
    """Every route of ``routers``, a literal segment before a parameter at the first place
    they differ (``/orders`` before ``/{objectName}``), else in their order. The router takes
    the first route that matches a request's path and method: a templated path of a tag
    registered earlier would take ``POST /orders`` from ``createOrder``, and the engine would
    refuse it with 405 as a path the spec serves otherwise."""
    routes = [route for router in routers for route in router.routes]
    return sorted(routes, key=lambda route: _templated(getattr(route, "path", "")))


def _templated(path: str) -> tuple[bool, ...]:
    return tuple(param_name(segment) is not None for segment in segments(path))


def build_routers(spec: Mapping[str, Any]) -> list[APIRouter]:
    """One router per tag, one route per operation, each calling :func:`handle`."""
    routers: dict[str, APIRouter] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping) or "operationId" not in op:
                continue
            tags = op.get("tags") or ["default"]
            tag = str(tags[0])
            router = routers.setdefault(tag, APIRouter(tags=[tag]))
            operation_id = str(op["operationId"])
            router.add_api_route(
                str(path),
                _endpoint(operation_id),
                methods=[method.upper()],
                name=operation_id,
                include_in_schema=False,
            )
    return [routers[tag] for tag in sorted(routers)]


def _endpoint(operation_id: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        return await handle(request, operation_id)

    endpoint.__name__ = operation_id
    return endpoint
