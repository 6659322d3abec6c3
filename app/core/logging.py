"""Logging set up once at start-up, and the one-line-per-request access log."""

import logging
import time

access_logger = logging.getLogger("kazi.access")


def configure(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # uvicorn's own access log would repeat ours, and carries app-user tokens in paths.
    logging.getLogger("uvicorn.access").disabled = True


def escape(value: str) -> str:
    """Percent-encode spaces and non-printable characters of a client-supplied value.

    A decoded path or header can contain a newline, which would let a client write a
    forged line into the log.
    """
    if value.isprintable() and " " not in value:
        return value
    return "".join(
        char
        if char.isprintable() and char != " "
        else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        for char in value
    )


def redact_path(path: str) -> str:
    """Hide the token in ``/v1/key/{token}/...`` and ``/v1/sessions/{token}``, and
    escape the rest with ``escape``.

    Logs then never carry credentials: the first form authenticates app users, the
    second revokes a token, which stays valid if the revocation is refused.
    """
    if path.startswith("/v1/key/"):
        _, _, rest = path[len("/v1/key/") :].partition("/")
        return "/v1/key/[token]/" + escape(rest)
    if path.startswith("/v1/sessions/") and path != "/v1/sessions/current":
        return "/v1/sessions/[token]"
    return escape(path)


class AccessLogMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            access_logger.info(
                "%s %s status=%d ms=%.1f",
                escape(scope["method"]),
                redact_path(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
            )
