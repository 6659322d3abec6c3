"""Submissions REST API on ODK Central's paths: list, read, files, versions, review."""

import mimetypes
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import errors
from app.audits import service as audits
from app.auth import Authorize, Principal
from app.core.db import get_session
from app.core.http import file_response, read_body, wants_extended
from app.forms import service as forms
from app.forms.models import Form
from app.submissions import service
from app.submissions.instance import read_instance
from app.submissions.models import Submission
from app.submissions.receive import Context, receive

router = APIRouter(
    prefix="/v1/projects/{project_id}/forms/{xml_form_id}/submissions",
    tags=["submissions"],
)

SUBMISSION = "/{instance_id}"
XML_TYPES = ("application/xml", "text/xml")


def _xml(submission_xml: bytes) -> Response:
    return Response(content=submission_xml, media_type="application/xml")


def _url_segment(value: str) -> str:
    # The characters JavaScript's encodeURIComponent, which Central uses, leaves as is.
    return quote(value, safe="!'()*")


def _get_or_redirect(
    request: Request, db: Session, form: Form, instance_id: str
) -> Submission | RedirectResponse:
    """Find a live submission by its first instanceID, or redirect a later version's.

    Central responds to a later version's instanceID with 301, turning
    ``.../submissions/{instanceId}...`` into
    ``.../submissions/{rootId}/versions/{instanceId}...``. The rest of the path and
    the query string stay as the client sent them. It raises 404 if no live
    submission has that version.
    """
    try:
        return service.get_submission(db, form, instance_id)
    except errors.Problem as problem:
        root_id = service.root_instance_id(db, form, instance_id)
        if root_id is None:
            raise problem
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    segments = raw_path.decode("latin-1").split("/")
    # The path is /v1/projects/{projectId}/forms/{xmlFormId}/submissions/{instanceId}...
    head, rest = segments[:6], segments[6:]
    location = "/".join([*head, rest[0], _url_segment(root_id), "versions", *rest[1:]])
    if request.url.query:
        location += f"?{request.url.query}"
    return RedirectResponse(location, status_code=301)


@router.get("")
def list_submissions(
    request: Request,
    project_id: int,
    xml_form_id: str,
    deleted: str | None = None,
    limit: int | None = Query(default=None, ge=0),
    offset: int = Query(default=0, ge=0),
    principal: Principal = Depends(Authorize("submission.list")),
    db: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    """List the form's submissions, newest first.

    ``deleted=true`` (any letter case, as Central reads it) lists only the deleted
    submissions, and needs no permission beyond ``submission.list``.
    """
    form = forms.get_form(db, project_id, xml_form_id)
    rows = service.list_submissions(
        db,
        form,
        deleted=(deleted or "").lower() == "true",
        limit=limit,
        offset=offset,
    )
    if wants_extended(request):
        return service.extended_submissions_json(db, rows)
    return [service.submission_json(*row) for row in rows]


@router.post("")
async def create_submission(
    request: Request,
    project_id: int,
    xml_form_id: str,
    deviceID: str | None = Query(None),  # noqa: N803 - ODK Central's parameter name
    principal: Principal = Depends(Authorize("submission.create")),
    db: Session = Depends(get_session),
) -> dict[str, Any]:
    """Create a submission from a raw XML body, as pyodk's submissions.create does."""
    settings = request.app.state.settings
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
    if content_type not in XML_TYPES:
        raise errors.unsupported_media_type(content_type, list(XML_TYPES))
    xml_bytes = await read_body(request, settings.max_submission_bytes, "submission")
    context = Context(principal, project_id, deviceID, request.headers.get("user-agent"))

    def store() -> dict[str, Any]:
        instance = read_instance(xml_bytes)
        if instance.xml_form_id != xml_form_id:
            raise errors.unexpected_value(
                "form id",
                instance.xml_form_id,
                f"the submission belongs to another form; post it to that form, not "
                f"'{xml_form_id}'",
            )
        received = receive(db, request.app.state.blobs, context, instance, xml_bytes, {})
        if not received.new:
            # ODK Central's REST create never accepts a known instanceID again.
            raise errors.uniqueness_violation("instanceID", instance.instance_id)
        form = forms.get_form(db, project_id, xml_form_id)
        submission = service.get_submission(db, form, received.instance_id)
        return service.submission_json(
            submission, service.current_version(db, submission)
        )

    return await run_in_threadpool(store)


@router.get(SUBMISSION + ".xml")
def submission_xml(
    request: Request,
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> Response:
    """Download the current version's XML exactly as it was received."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = _get_or_redirect(request, db, form, instance_id)
    if isinstance(submission, RedirectResponse):
        return submission
    return _xml(service.current_version(db, submission).xml)


@router.get(SUBMISSION)
def get_submission(
    request: Request,
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> dict[str, Any]:
    """Show one submission and its current version."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = _get_or_redirect(request, db, form, instance_id)
    if isinstance(submission, RedirectResponse):
        return submission
    current = service.current_version(db, submission)
    if wants_extended(request):
        return service.extended_submissions_json(db, [(submission, current)])[0]
    return service.submission_json(submission, current)


@router.patch(SUBMISSION)
def update_submission(
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    body: dict[str, Any] = Body(...),
    principal: Principal = Depends(Authorize("submission.update")),
    db: Session = Depends(get_session),
) -> dict[str, Any]:
    """Set the review state: hasIssues, edited, approved or rejected."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    if "reviewState" not in body:
        raise errors.missing_parameter("reviewState")
    service.set_review_state(
        db, form, submission, body["reviewState"], actor_id=principal.actor.id
    )
    db.commit()
    return service.submission_json(submission, service.current_version(db, submission))


@router.delete(SUBMISSION)
def delete_submission(
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    principal: Principal = Depends(Authorize("submission.delete")),
    db: Session = Depends(get_session),
) -> dict[str, bool]:
    """Delete the submission; devices resending it then get 409."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    service.delete(db, form, submission, actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.post(SUBMISSION + "/restore")
def restore_submission(
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    principal: Principal = Depends(Authorize("submission.restore")),
    db: Session = Depends(get_session),
) -> dict[str, bool]:
    """Restore a deleted submission, or raise 404 if it is not deleted."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_deleted_submission(db, form, instance_id)
    service.restore(db, form, submission, actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.get(SUBMISSION + "/audits")
def list_submission_audits(
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    limit: int | None = Query(default=None, ge=0),
    offset: int = Query(default=0, ge=0),
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    """List the audits about one submission, newest first, shaped as ``/v1/audits``."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    rows = audits.by_submission(db, submission.id, limit=limit, offset=offset)
    return [audits.to_json(row) for row in rows]


@router.get(SUBMISSION + "/attachments")
def list_attachments(
    request: Request,
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    """List the files the current version refers to, and whether each has arrived."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = _get_or_redirect(request, db, form, instance_id)
    if isinstance(submission, RedirectResponse):
        return submission
    rows = service.attachments(db, service.current_version(db, submission))
    return [{"name": row.name, "exists": row.blob_id is not None} for row in rows]


@router.get(SUBMISSION + "/attachments/{name}")
def download_attachment(
    request: Request,
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    name: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> Response:
    """Download one file of the current version."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = _get_or_redirect(request, db, form, instance_id)
    if isinstance(submission, RedirectResponse):
        return submission
    blob, content_type = service.attachment_blob(
        db, service.current_version(db, submission), name
    )
    return _blob_response(request, blob, name, content_type)


@router.get(SUBMISSION + "/versions")
def list_versions(
    request: Request,
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    """List every version of the submission, newest first."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    rows = service.versions(db, submission)
    if wants_extended(request):
        return service.extended_versions_json(db, rows)
    return [service.version_json(row) for row in rows]


@router.get(SUBMISSION + "/versions/{version_id}.xml")
def version_xml(
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    version_id: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> Response:
    """Download one version's XML exactly as it was received."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    return _xml(service.get_version(db, submission, version_id).xml)


@router.get(SUBMISSION + "/versions/{version_id}")
def get_version(
    request: Request,
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    version_id: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> dict[str, Any]:
    """Show one version of the submission."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    version = service.get_version(db, submission, version_id)
    if wants_extended(request):
        return service.extended_versions_json(db, [version])[0]
    return service.version_json(version)


@router.get(SUBMISSION + "/versions/{version_id}/attachments")
def list_version_attachments(
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    version_id: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> list[dict[str, Any]]:
    """List the files one version refers to, and whether each has arrived."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    rows = service.attachments(db, service.get_version(db, submission, version_id))
    return [{"name": row.name, "exists": row.blob_id is not None} for row in rows]


@router.get(SUBMISSION + "/versions/{version_id}/attachments/{name}")
def download_version_attachment(
    request: Request,
    project_id: int,
    xml_form_id: str,
    instance_id: str,
    version_id: str,
    name: str,
    principal: Principal = Depends(Authorize("submission.read")),
    db: Session = Depends(get_session),
) -> Response:
    """Download one file of one version."""
    form = forms.get_form(db, project_id, xml_form_id)
    submission = service.get_submission(db, form, instance_id)
    version = service.get_version(db, submission, version_id)
    blob, content_type = service.attachment_blob(db, version, name)
    return _blob_response(request, blob, name, content_type)


def _blob_response(
    request: Request, blob, name: str, content_type: str | None
) -> Response:
    # The type the device sent wins, as in ODK Central; older rows have none stored.
    media_type = (
        content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    content = request.app.state.blobs.read(blob.sha256)
    return file_response(
        request,
        content,
        media_type=media_type,
        etag=f'"{blob.md5}"',
        filename=name,
        inline_images=True,
    )
