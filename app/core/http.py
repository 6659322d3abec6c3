"""Request helpers: bounded body reading, conditional GET and safe file downloads."""

import json

from fastapi import Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from app import errors

# JSON bodies are small documents (names, settings, assignments); files travel as
# their own content types with limits of their own.
MAX_JSON_BYTES = 1024 * 1024

# Types a browser would render with scripts from our origin; downloads never carry
# them. XML stays as it is because form definitions are served as application/xml.
ACTIVE_CONTENT_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/javascript",
    "application/javascript",
}

INLINE_IMAGES = {"image/jpeg", "image/png", "image/gif"}


class ProblemHTTPException(HTTPException):
    """Carries a ``Problem`` through code that re-raises only HTTP exceptions.

    FastAPI turns any other error raised while it reads the body into a generic 400.
    """

    def __init__(self, problem: errors.Problem):
        super().__init__(problem.status, problem.message)
        self.problem = problem


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class JsonBodyLimitMiddleware:
    """Reject JSON request bodies over ``limit`` bytes with 413 before reading them whole.

    NOTE: only bodies declared as JSON are capped. FastAPI also parses a body without
    Content-Type as JSON, and those are not capped here because raw file uploads
    arrive the same way.
    """

    def __init__(self, app, limit: int = MAX_JSON_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if not _is_json(headers.get(b"content-type", b"").decode("latin-1")):
            await self.app(scope, receive, send)
            return
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.limit:
            await self._reject(send)
            return
        received = 0

        async def capped_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise ProblemHTTPException(self._problem())
            return message

        await self.app(scope, capped_receive, send)

    def _problem(self) -> errors.Problem:
        return errors.payload_too_large(self.limit, "JSON request body")

    async def _reject(self, send) -> None:
        problem = self._problem()
        body = json.dumps(problem.body()).encode()
        await send(
            {
                "type": "http.response.start",
                "status": problem.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def read_body(request: Request, limit: int, what: str = "request body") -> bytes:
    """Read the whole body, failing with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise errors.payload_too_large(limit, what)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.payload_too_large(limit, what)
        chunks.append(chunk)
    return b"".join(chunks)


def wants_extended(request: Request) -> bool:
    return request.headers.get("x-extended-metadata", "").lower() == "true"


def etag_matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    candidates = [part.strip() for part in header.split(",")]
    return "*" in candidates or etag in candidates or f"W/{etag}" in candidates


def file_response(
    request: Request,
    content: bytes,
    *,
    media_type: str,
    etag: str,
    filename: str | None = None,
    inline_images: bool = False,
) -> Response:
    """Send a file with its ETag, or 304 when the client already has those bytes.

    Uploaded files can have any declared type, so types a browser would render as
    active content (HTML, SVG, scripts) are sent as application/octet-stream. With
    ``inline_images``, JPEG, PNG and GIF files are sent inline so that a browser shows
    them, as ODK Central does for submission attachments.
    """
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if media_type.split(";", 1)[0].strip().lower() in ACTIVE_CONTENT_TYPES:
        media_type = "application/octet-stream"
    if filename is not None:
        from urllib.parse import quote

        ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_")
        disposition = "attachment"
        if inline_images and media_type.split(";", 1)[0].strip().lower() in INLINE_IMAGES:
            disposition = "inline"
        headers["Content-Disposition"] = (
            f'{disposition}; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(filename)}"
        )
    if etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=content, media_type=media_type, headers=headers)
