"""Request helpers: bounded body reading and conditional GET."""

from fastapi import Request
from fastapi.responses import Response

from app import errors


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
) -> Response:
    """Send a file with its ETag, or 304 when the client already holds those bytes."""
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if filename is not None:
        from urllib.parse import quote

        ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_")
        headers["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        )
    if etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=content, media_type=media_type, headers=headers)
