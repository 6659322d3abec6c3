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


def redact_path(path: str) -> str:
    """Hide the token in ``/v1/key/{token}/...`` and ``/v1/sessions/{token}``.

    Logs then never carry credentials: the first form authenticates app users, the
    second revokes a token, which stays valid if the revocation is refused.
    """
    if path.startswith("/v1/key/"):
        _, _, rest = path[len("/v1/key/") :].partition("/")
        return "/v1/key/[token]/" + rest
    if path.startswith("/v1/sessions/") and path != "/v1/sessions/current":
        return "/v1/sessions/[token]"
    return path


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
                scope["method"],
                redact_path(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
            )
