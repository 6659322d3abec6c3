"""The OpenRosa submission endpoint that ODK Collect posts filled-in forms to.

Spec: https://docs.getodk.org/openrosa-form-submission/. Collect first sends HEAD to
learn the accepted body size, then one multipart POST per batch of files: the XML in
``xml_submission_file``, one part per attachment named by its file name, and
``*isIncomplete*=yes`` on every batch but the last. Each batch repeats the same XML,
so a resend of identical XML is how later files arrive. Success is 201 with an
OpenRosaResponse document; Collect treats any other status as a failure and retries.
"""

import logging

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import errors
from app.auth import Authorize, Principal, get_principal
from app.openrosa.forms import require_openrosa_version
from app.openrosa.responses import OpenRosaRoute, message_response, openrosa_headers
from app.submissions.instance import read_instance
from app.submissions.multipart import FRAMING_ALLOWANCE, XML_PART, Upload, read_multipart
from app.submissions.receive import Context, Received, client_user_agent, receive

logger = logging.getLogger(__name__)


async def _openrosa_version(request: Request) -> None:
    # Async, so the header check runs on the event loop rather than in a thread.
    require_openrosa_version(request)


router = APIRouter(
    prefix="/v1/projects/{project_id}",
    route_class=OpenRosaRoute,
    tags=["openrosa"],
    dependencies=[Depends(_openrosa_version)],
)

INCOMPLETE_PART = "*isIncomplete*"


class SubmissionAuthorize(Authorize):
    """``Authorize`` that reports a missing right as 401, as ODK Central does here.

    Collect shows a 401 as a credentials problem, which is what an enumerator can act
    on (rescan the QR code); a 403 would read as a server fault.

    Authentication and the rights check run in one worker thread with their own
    session, which is closed before the body is read: each thread hop costs as much
    CPU as a query, and no connection is held while a slow device uploads.
    """

    async def __call__(self, request: Request) -> Principal:
        return await run_in_threadpool(self._authorize, request)

    def _authorize(self, request: Request) -> Principal:
        with Session(request.app.state.engine, expire_on_commit=False) as db:
            try:
                principal = get_principal(request, db)
                return Authorize.__call__(self, request, principal, db)
            except errors.Problem as problem:
                if problem.status == 403:
                    raise errors.authentication_failed() from problem
                raise


may_submit = SubmissionAuthorize("submission.create", any_form=True)


@router.api_route("/submission", methods=["HEAD", "GET"], status_code=204)
async def submission_preflight(
    request: Request,
    project_id: int,
    deviceID: str | None = Query(None),  # noqa: N803 - Collect's parameter name
    principal: Principal = Depends(may_submit),
) -> Response:
    """Return the OpenRosa headers, with the largest body accepted, for the pre-flight."""
    settings = request.app.state.settings
    return Response(
        status_code=204, headers=openrosa_headers(settings.max_submission_bytes)
    )


@router.post("/submission", status_code=201)
async def submission_create(
    request: Request,
    project_id: int,
    deviceID: str | None = Query(None),  # noqa: N803 - Collect's parameter name
    principal: Principal = Depends(may_submit),
) -> Response:
    """Receive a submission, or more files for one, as a multipart body."""
    settings = request.app.state.settings
    limit = settings.max_submission_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FRAMING_ALLOWANCE:
        raise errors.payload_too_large(limit, "submission")
    upload = await read_multipart(
        request.stream(), request.headers.get("content-type"), limit
    )
    try:
        user_agent = client_user_agent(
            request.headers.get("odk-client"), request.headers.get("user-agent")
        )
        context = Context(principal, project_id, deviceID, user_agent)
        received = await run_in_threadpool(_receive, request, context, upload)
    finally:
        upload.close()
    return message_response(_message(received), 201, limit)


def _receive(request: Request, context: Context, upload: Upload) -> Received:
    xml_part = upload.first(XML_PART)
    if xml_part is None:
        raise errors.missing_multipart_field(XML_PART)
    xml_bytes = xml_part.read()
    instance = read_instance(xml_bytes)
    files: dict[str, bytes] = {}
    content_types: dict[str, str] = {}
    for part in upload.parts:
        if part.name not in (XML_PART, INCOMPLETE_PART) and part.name not in files:
            files[part.name] = part.read()
            if part.content_type:
                content_types[part.name] = part.content_type[:255]
    with Session(request.app.state.engine, expire_on_commit=False) as db:
        return receive(
            db,
            request.app.state.blobs,
            context,
            instance,
            xml_bytes,
            files,
            content_types,
        )


def _message(received: Received) -> str:
    if received.new:
        text = "Submission received."
    else:
        text = "Submission already received; nothing was stored twice."
    if received.missing:
        text += f" Files still expected: {', '.join(received.missing)}."
    return text
