"""The FastAPI application."""

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import errors
from app.auth import KeyPrefixMiddleware, request_is_https
from app.blobs.store import BlobStore
from app.core.config import Settings
from app.core.db import make_engine
from app.core.http import JsonBodyLimitMiddleware, ProblemHTTPException
from app.core.logging import AccessLogMiddleware, redact_path
from app.openrosa.responses import message_response

logger = logging.getLogger(__name__)

BASIC_CHALLENGE = 'Basic realm="Kazi"'
BODY_PARSE_FAILED = "There was an error parsing the body"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; ``kazi serve`` migrates and seeds before calling this."""
    settings = settings or Settings()
    app = FastAPI(
        title="Kazi",
        summary="Field survey server for jobs programmes (ODK Central-compatible API)",
        version="0.1.0",
        # KeyPrefixMiddleware drops trailing slashes, so no redirect is needed.
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.resolved_database_url)
    app.state.blobs = BlobStore(settings.blob_dir, fsync=settings.fsync)

    _add_error_handlers(app)
    _include_routers(app)
    app.add_middleware(JsonBodyLimitMiddleware)
    app.add_middleware(UnhandledErrorMiddleware)
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
    return ProblemJSONResponse(
        problem.body(), status_code=problem.status, headers=problem.headers
    )


class ProblemJSONResponse(JSONResponse):
    """A JSON error body that still renders when it echoes a lone surrogate."""

    def render(self, content) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            # ASCII escapes keep the JSON valid: "\ud800" stays "\ud800".
            return json.dumps(content, separators=(",", ":")).encode("ascii")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.Problem)
    async def handle_problem(request: Request, problem: errors.Problem):
        return problem_response(request, problem)

    @app.exception_handler(RequestValidationError)
    async def handle_validation(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {}
        if first.get("type") == "json_invalid":
            return problem_response(request, _json_problem(first, error.body))
        location = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        problem = errors.Problem(
            400.8 if first.get("type") != "missing" else 400.2,
            f"Invalid request: {location or 'body'}: "
            f"{first.get('msg', 'invalid value')}.",
            {"field": location, "errors": [_clean(e) for e in error.errors()]},
        )
        return problem_response(request, problem)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http(request: Request, error: StarletteHTTPException):
        if isinstance(error, ProblemHTTPException):
            problem = error.problem
        elif error.status_code == 404:
            problem = errors.not_found()
        elif error.status_code == 405:
            problem = errors.Problem(
                405.1, f"The method {request.method} is not allowed on this resource."
            )
        elif error.status_code == 400 and error.detail == BODY_PARSE_FAILED:
            # FastAPI's message when the JSON parser raises something other than a
            # decode error, such as RecursionError for deeply nested arrays.
            problem = errors.unparseable(
                "JSON", "the body could not be parsed; it may be nested too deeply"
            )
        else:
            problem = errors.Problem(float(error.status_code), str(error.detail))
        return problem_response(request, problem)

    @app.exception_handler(OverflowError)
    async def handle_overflow(request: Request, error: OverflowError):
        if _has_oversized_id(request):
            return problem_response(request, errors.not_found())
        return _unexpected(request, error)

    @app.exception_handler(UnicodeEncodeError)
    async def handle_unencodable(request: Request, error: UnicodeEncodeError):
        # A JSON string can carry a lone UTF-16 surrogate, which no text column,
        # password hash or XML document can encode. Nothing has been committed yet.
        if error.reason != "surrogates not allowed":
            return _unexpected(request, error)
        char = error.object[error.start : error.end]
        problem = errors.Problem(
            400.8,
            f"The request contains the unpaired surrogate U+{ord(char[0]):04X}, which "
            "is not valid Unicode text. Send each character as UTF-8, or as a valid "
            "surrogate pair in a JSON escape.",
        )
        return problem_response(request, problem)

    @app.exception_handler(DataError)
    async def handle_data_error(request: Request, error: DataError):
        if _has_oversized_id(request):
            return problem_response(request, errors.not_found())
        # The engine hides SQL parameters, so the message carries no client data.
        logger.warning(
            "database rejected a value method=%s path=%s error=%s",
            request.method,
            redact_path(request.url.path),
            type(error.orig).__name__,
        )
        problem = errors.Problem(
            400.8,
            "The database rejected a value in this request as invalid (for example an "
            "unsupported character or a number out of range). Check the values sent.",
        )
        return problem_response(request, problem)


def _unexpected(request: Request, error: BaseException) -> Response:
    logger.error(
        "unhandled error method=%s path=%s",
        request.method,
        redact_path(request.url.path),
        exc_info=error,
    )
    problem = errors.Problem(
        500.1, "An unexpected server error occurred; it has been logged. Try again later."
    )
    return problem_response(request, problem)


class UnhandledErrorMiddleware:
    """Respond to any uncaught exception with a logged 500 instead of re-raising it.

    Starlette's own handler for ``Exception`` re-raises after responding, so uvicorn
    would log the same traceback a second time.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            response = _unexpected(Request(scope), error)
            if not started:
                await response(scope, receive, send)


def _has_oversized_id(request: Request) -> bool:
    """Check whether a path parameter is an integer too large for a 64-bit database id."""
    for value in request.path_params.values():
        text = str(value).lstrip("-")
        if text.isdigit() and int(text) >= 2**63:
            return True
    return False


def _json_problem(first: dict, document: object) -> errors.Problem:
    reason = str(first.get("ctx", {}).get("error", "JSON decode error"))
    location = first.get("loc", ())
    position = location[-1] if location and isinstance(location[-1], int) else None
    if position is None or not isinstance(document, str | bytes):
        return errors.invalid_json(reason)
    if isinstance(document, bytes):
        document = document.decode("utf-8", "replace")
    line = document.count("\n", 0, position) + 1
    column = position - (document.rfind("\n", 0, position) + 1) + 1
    return errors.invalid_json(reason, line, column)


def _clean(error: dict) -> dict:
    return {key: error[key] for key in ("loc", "msg", "type") if key in error}
