"""Send filled-in forms to an OpenRosa server as ODK Collect does.

Collect (v2024.3) sends HEAD to ``{server}/submission`` to learn the accepted body
size (``X-OpenRosa-Accept-Content-Length``), then one multipart POST per batch: the
XML in ``xml_submission_file`` and one part per file. A batch contains at most 100 files
and stays under the accepted size; every batch but the last carries
``*isIncomplete*=yes``. Only 201 and 202 count as success.

Network errors and 5xx responses are retried with exponential backoff. Nothing else
is: not an invalid server URL, a transport error that the same request would hit
again, or any status below 500 (such as 400, 401, 403, 404, 409 or 413).
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import httpx

from sync.urls import redact_httpx_logs, redact_token, validate_server_url

logger = logging.getLogger(__name__)

USER_AGENT = (
    "org.odk.collect.android/v2024.3.4 okhttp/4.12.0 Dalvik/2.1.0 "
    "(Linux; U; Android 13; Pixel 6)"
)
MAX_FILES_PER_POST = 100
DEFAULT_ACCEPT_LENGTH = 10_000_000
OPENROSA_RESPONSE = "{http://openrosa.org/http/response}"
AUTHENTICATION_FAILURES = (401, 403)
# Transport errors that come from the request itself, so the same request fails again.
PERMANENT_TRANSPORT_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def collect_date(now: float | None = None) -> str:
    """Format the time as Collect's Date header does: 12-hour clock, no AM/PM.

    Collect uses the Java pattern ``E, dd MMM yyyy hh:mm:ss zz``, so the value is 12
    hours off in the afternoon. Sending the same lets tests check that servers
    ignore it.
    """
    return time.strftime("%a, %d %b %Y %I:%M:%S GMT", time.gmtime(now))


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass
class SendResult:
    """What the server returned for the last request of one submission."""

    status: int
    message: str
    requests: int


class SendError(Exception):
    """The server rejected the submission, or kept failing after every retry."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class ServerURLError(SendError):
    """The server rejected the server URL or its app user token.

    Every later submission to the same URL fails the same way until the URL or the
    token is fixed, so a caller sending many should stop at the first one.
    """


def batches(
    xml_size: int, attachments: list[Attachment], limit: int
) -> list[list[Attachment]]:
    """Split files into batches of at most 100 files that stay under ``limit`` bytes.

    Each batch also carries the XML. A file too big for any batch goes alone; the
    server then decides. With no files there is one empty batch.
    """
    result: list[list[Attachment]] = []
    current: list[Attachment] = []
    size = xml_size
    for attachment in attachments:
        full = len(current) >= MAX_FILES_PER_POST
        if current and (full or size + len(attachment.data) > limit):
            result.append(current)
            current, size = [], xml_size
        current.append(attachment)
        size += len(attachment.data)
    result.append(current)
    return result


@dataclass(repr=False)
class OpenRosaClient:
    """Send submissions to ``server_url``, for example ``.../v1/key/TOKEN/projects/1``.

    The constructor raises ValueError for a server URL that is not an absolute http(s)
    URL, or for ``max_attempts`` below 1. Log lines and errors show the URL with its
    token replaced by ``[token]``.
    """

    server_url: str
    device_id: str = field(default_factory=lambda: f"collect:{uuid.uuid4().hex[:16]}")
    user_agent: str = USER_AGENT
    max_attempts: int = 5
    backoff_seconds: float = 0.5
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        validate_server_url(self.server_url)
        redact_httpx_logs()
        self._http = httpx.Client(timeout=self.timeout, transport=self.transport)
        self._accept_length: int | None = None

    def __repr__(self) -> str:
        return (
            f"OpenRosaClient(server_url={redact_token(self.server_url)!r}, "
            f"device_id={self.device_id!r}, max_attempts={self.max_attempts})"
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "OpenRosaClient":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @property
    def submission_url(self) -> str:
        return self.server_url.rstrip("/") + "/submission"

    @property
    def redacted_submission_url(self) -> str:
        """The submission URL with its token replaced, for log lines and errors."""
        return redact_token(self.submission_url)

    def _headers(self) -> dict[str, str]:
        return {
            "User-Agent": self.user_agent,
            "X-OpenRosa-Version": "1.0",
            "Date": collect_date(),
        }

    def _request(self, method: str, **kwargs) -> httpx.Response:
        """Send one request, retrying network errors and 5xx with exponential backoff.

        Returns any response below 500 without a retry. Raises SendError once
        ``max_attempts`` tries have failed, or at once for a transport error that
        the same request would hit again.
        """
        params = {"deviceID": self.device_id}
        url = self.redacted_submission_url
        attempt = 1
        while True:
            try:
                response = self._http.request(
                    method,
                    self.submission_url,
                    params=params,
                    headers=self._headers(),
                    **kwargs,
                )
            except PERMANENT_TRANSPORT_ERRORS as error:
                failure = redact_token(f"{type(error).__name__}: {error}")
                raise SendError(f"{method} {url} failed: {failure}") from None
            except httpx.TransportError as error:
                failure = redact_token(f"{type(error).__name__}: {error}")
            else:
                if response.status_code < 500:
                    return response
                failure = f"status {response.status_code}"
            if attempt >= self.max_attempts:
                raise SendError(
                    f"{method} {url} failed after {attempt} attempts: {failure}"
                )
            delay = self.backoff_seconds * 2 ** (attempt - 1)
            logger.warning(
                "request failed, retrying method=%s url=%s attempt=%d delay=%.1fs "
                "error=%s",
                method,
                url,
                attempt,
                delay,
                failure,
            )
            self.sleep(delay)
            attempt += 1

    def accept_content_length(self) -> int:
        """Ask the server (HEAD) how large a POST body may be, once per client."""
        if self._accept_length is None:
            self._accept_length = self._preflight()
        return self._accept_length

    def _preflight(self) -> int:
        """Send the HEAD pre-flight and return the accepted body size in bytes.

        Raises ServerURLError for any status below 500 other than 204 (a rejected
        token, an unknown project, a redirect), and SendError when the server stays
        unreachable or keeps returning 5xx.
        """
        response = self._request("HEAD")
        status = response.status_code
        if status in AUTHENTICATION_FAILURES:
            raise ServerURLError(
                f"HEAD {self.redacted_submission_url} returned {status}: the server "
                "rejected the app user token. Rescan the project's QR code in "
                "Collect, or check the server URL and its token.",
                status,
            )
        if status != 204:
            raise ServerURLError(
                f"HEAD {self.redacted_submission_url} returned {status}, expected "
                "204; check the server URL, its project id and its token.",
                status,
            )
        header = response.headers.get("X-OpenRosa-Accept-Content-Length", "")
        return int(header) if header.isdigit() else DEFAULT_ACCEPT_LENGTH

    def send(self, xml: bytes, attachments: list[Attachment] = ()) -> SendResult:
        """Send one submission and its files, in as many requests as needed.

        Raises ServerURLError when the URL or token is rejected, and SendError when
        only this submission failed.
        """
        groups = batches(len(xml), list(attachments), self.accept_content_length())
        response = None
        for index, group in enumerate(groups):
            files = [("xml_submission_file", ("submission.xml", xml, "text/xml"))]
            files += [(a.name, (a.name, a.data, a.content_type)) for a in group]
            if index < len(groups) - 1:
                files.append(("*isIncomplete*", (None, b"yes")))
            response = self._request("POST", files=files)
            if response.status_code not in (201, 202):
                status = response.status_code
                message = openrosa_message(response)
                if status in AUTHENTICATION_FAILURES:
                    # Kazi, like ODK Central, returns 401 also for a form that is
                    # not assigned to the app user. A second pre-flight raises
                    # ServerURLError if the token itself is rejected.
                    self._accept_length = self._preflight()
                    message += (
                        " The app user token is valid for the project, so the form "
                        "of this submission is probably not assigned to the app user."
                    )
                raise SendError(f"server returned {status}: {message}", status)
        return SendResult(response.status_code, openrosa_message(response), len(groups))


def openrosa_message(response: httpx.Response) -> str:
    """Return the message of an OpenRosaResponse body, or the start of the raw body."""
    try:
        root = ElementTree.fromstring(response.content)  # noqa: S314 - the server's own reply
    except ElementTree.ParseError:
        return response.text[:200]
    message = root.find(f"{OPENROSA_RESPONSE}message")
    return (message.text or "") if message is not None else response.text[:200]


def read_instance_dir(folder: Path) -> tuple[bytes, list[Attachment]]:
    """Read a Collect instance folder: ``<name>.xml`` and the files beside it."""
    xml_files = sorted(folder.glob("*.xml"))
    if len(xml_files) != 1:
        raise SendError(
            f"{folder} must contain exactly one .xml file, found {len(xml_files)}"
        )
    attachments = [
        Attachment(path.name, path.read_bytes())
        for path in sorted(folder.iterdir())
        if path.is_file() and path != xml_files[0]
    ]
    return xml_files[0].read_bytes(), attachments


def instance_dirs(root: Path) -> Iterator[Path]:
    """Yield instance folders under ``root``; a folder with an .xml file is one."""
    if any(root.glob("*.xml")):
        yield root
        return
    for child in sorted(root.iterdir()):
        if child.is_dir() and any(child.glob("*.xml")):
            yield child
