"""The FastAPI application."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import errors
from app.auth import KeyPrefixMiddleware, request_is_https
from app.blobs.store import BlobStore
from app.core.config import Settings
from app.core.db import make_engine
from app.core.logging import AccessLogMiddleware, redact_path
from app.openrosa.responses import message_response

logger = logging.getLogger(__name__)

BASIC_CHALLENGE = 'Basic realm="Kazi"'


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; ``kazi serve`` migrates and seeds before calling this."""
    settings = settings or Settings()
    app = FastAPI(
        title="Kazi",
        summary="Field survey server for jobs programmes (ODK Central-compatible API)",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.resolved_database_url)
    app.state.blobs = BlobStore(settings.blob_dir, fsync=settings.fsync)

    _add_error_handlers(app)
    _include_routers(app)
    app.add_middleware(KeyPrefixMiddleware)
    app.add_middleware(AccessLogMiddleware)
    return app


def _include_routers(app: FastAPI) -> None:
    from app.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router)


def _is_openrosa(request: Request) -> bool:
    return bool(getattr(request.scope.get("route"), "openrosa", False))


def problem_response(request: Request, problem: errors.Problem) -> Response:
    if _is_openrosa(request):
        settings = request.app.state.settings
        headers = dict(problem.headers)
        if problem.status == 401 and request_is_https(request):
            # ODK Collect answers a 401 with stored credentials only when it carries a
            # challenge, and offers Basic only over HTTPS. Central sends no challenge.
            headers["WWW-Authenticate"] = BASIC_CHALLENGE
        return message_response(
            problem.message,
            problem.status,
            settings.max_submission_bytes,
            nature="error",
            headers=headers,
        )
    return JSONResponse(problem.body(), status_code=problem.status, headers=problem.headers)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.Problem)
    async def handle_problem(request: Request, problem: errors.Problem):
        return problem_response(request, problem)

    @app.exception_handler(RequestValidationError)
    async def handle_validation(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {}
        location = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        problem = errors.Problem(
            400.8 if first.get("type") != "missing" else 400.2,
            f"Invalid request: {location or 'body'}: {first.get('msg', 'invalid value')}.",
            {"field": location, "errors": [_clean(e) for e in error.errors()]},
        )
        return problem_response(request, problem)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http(request: Request, error: StarletteHTTPException):
        if error.status_code == 404:
            problem = errors.not_found()
        elif error.status_code == 405:
            problem = errors.Problem(
                405.1, f"The method {request.method} is not allowed on this resource."
            )
        else:
            problem = errors.Problem(float(error.status_code), str(error.detail))
        return problem_response(request, problem)

    @app.exception_handler(Exception)
    async def handle_unexpected(request: Request, error: Exception):
        logger.exception(
            "unhandled error method=%s path=%s", request.method, redact_path(request.url.path)
        )
        problem = errors.Problem(
            500.1, "An unexpected server error occurred; it has been logged. Try again later."
        )
        return problem_response(request, problem)


def _clean(error: dict) -> dict:
    return {key: error[key] for key in ("loc", "msg", "type") if key in error}
