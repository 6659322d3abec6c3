"""Server URL checks, and redaction of the app user token that the URL contains.

Collect stores an ODK Central server as ``{base}/v1/key/{token}/projects/{id}``, and
anyone who has the token can submit as that app user, so the client replaces the token
with ``[token]`` in its log lines and error messages.
"""

import logging
import re

import httpx

TOKEN_PLACEHOLDER = "[token]"  # noqa: S105 - the text that replaces a token
# The path segment after /key/, in a URL or in any text that quotes one.
_TOKEN_SEGMENT = re.compile(r"(/key/)[^/?#\s\"'<>]+")


def redact_token(text: str) -> str:
    """Replace every app user token in ``text`` with ``[token]``."""
    return _TOKEN_SEGMENT.sub(r"\1" + TOKEN_PLACEHOLDER, text)


def validate_server_url(url: str) -> None:
    """Raise ValueError unless ``url`` is an absolute http(s) URL with a host.

    The client appends ``/submission`` to the URL, so a query or fragment is rejected
    too. The message quotes the URL with its token redacted.
    """
    redacted_url = redact_token(url)
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise ValueError(
            f"invalid server URL {redacted_url!r}: {redact_token(str(error))}"
        ) from None
    if parsed.scheme not in ("http", "https"):
        raise ValueError(
            f"invalid server URL {redacted_url!r}: it must start with http:// or "
            "https://, for example http://HOST/v1/key/TOKEN/projects/1"
        )
    if not parsed.host:
        raise ValueError(f"invalid server URL {redacted_url!r}: the host name is missing")
    if parsed.query or parsed.fragment:
        raise ValueError(
            f"invalid server URL {redacted_url!r}: remove the query or fragment "
            "after the path"
        )


class TokenRedactingFilter(logging.Filter):
    """Logging filter that replaces app user tokens in each record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_token(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True


_HTTPX_FILTER = TokenRedactingFilter()


def redact_httpx_logs() -> None:
    """Add the token filter to the ``httpx`` logger, which logs each request's URL.

    httpx 0.29 logs ``HTTP Request: METHOD URL "HTTP/1.1 STATUS"`` at INFO.
    The filter applies to every httpx client in the process, and adding it twice has
    no effect.
    """
    logging.getLogger("httpx").addFilter(_HTTPX_FILTER)
