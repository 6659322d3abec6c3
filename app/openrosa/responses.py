"""OpenRosa response documents and headers (https://docs.getodk.org/openrosa-http/)."""

from xml.sax.saxutils import escape

from fastapi.responses import Response
from fastapi.routing import APIRoute

OPENROSA_VERSION = "1.0"
RESPONSE_NS = "http://openrosa.org/http/response"


class OpenRosaRoute(APIRoute):
    """A route whose errors are sent as OpenRosaResponse XML that ODK Collect shows."""

    openrosa = True


def openrosa_headers(accept_content_length: int) -> dict[str, str]:
    return {
        "X-OpenRosa-Version": OPENROSA_VERSION,
        "X-OpenRosa-Accept-Content-Length": str(accept_content_length),
        "Content-Language": "en",
    }


def message_document(message: str, nature: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OpenRosaResponse xmlns="{RESPONSE_NS}" items="0">'
        f'<message nature="{escape(nature, {chr(34): "&quot;"})}">'
        f"{escape(message)}</message>"
        "</OpenRosaResponse>"
    ).encode("utf-8", "replace")  # a lone surrogate echoed from the request becomes "?"


def message_response(
    message: str,
    status: int,
    accept_content_length: int,
    nature: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        content=message_document(message, nature),
        status_code=status,
        media_type="text/xml; charset=utf-8",
        headers={**openrosa_headers(accept_content_length), **(headers or {})},
    )
