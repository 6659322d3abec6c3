"""Forms API on ODK Central's paths: create, drafts, attachments, publish, versions."""

from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import errors
from app.auth import Authorize, Principal
from app.blobs.models import Blob
from app.core.db import get_session
from app.core.http import file_response, read_body
from app.forms import service, xlsform
from app.forms.models import Form, FormDef
from app.projects.service import get_project

router = APIRouter(prefix="/v1/projects/{project_id}/forms", tags=["forms"])

FORM = "/{xml_form_id}"


def _flag(value: str | None) -> bool:
    return (value or "").lower() == "true"


def _readable_form(
    db: Session, principal: Principal, project_id: int, xml_form_id: str
) -> tuple[Form, FormDef | None]:
    """Find the form and the definition that describes it, if the caller may read it.

    That definition is the published version, or the draft of a form never published
    (ODK Central's "any version"). Drafts need form.update, and closed forms are
    hidden from app users and data collectors (``service.check_can_read``).
    """
    form = service.get_form(db, project_id, xml_form_id)
    form_def = _describing_def(db, form)
    service.check_can_read(principal, form, form_def)
    return form, form_def


def _describing_def(db: Session, form: Form) -> FormDef | None:
    return db.get(FormDef, form.current_def_id or form.draft_def_id or -1)


def _readable_version(
    db: Session, principal: Principal, project_id: int, xml_form_id: str, version: str
) -> tuple[Form, FormDef]:
    form = service.get_form(db, project_id, xml_form_id)
    form_def = service.published_def_by_version(db, form, version)
    service.check_can_read(principal, form, form_def)
    return form, form_def


def _fallback_form_id(request: Request) -> str | None:
    """The X-XlsForm-FormId-Fallback header, percent-decoded.

    ODK Central decodes this header with decodeURIComponent, and pyodk 1.3 percent-
    encodes it (``Session.urlquote``), so a file stem with spaces or non-ASCII letters
    arrives encoded.
    """
    value = request.headers.get("x-xlsform-formid-fallback")
    return unquote(value) if value else None


async def _definition(request: Request) -> service.Definition | None:
    """Read and convert the uploaded definition; pyxform runs in the threadpool."""
    settings = request.app.state.settings
    data = await read_body(request, settings.max_form_bytes, "form upload")
    if not data:
        return None
    return await run_in_threadpool(
        service.read_definition,
        data,
        request.headers.get("content-type"),
        fallback_form_id=_fallback_form_id(request),
        max_unzipped=settings.max_xlsx_unzipped_bytes,
    )


def _xml_response(request: Request, form_def: FormDef) -> Response:
    return file_response(
        request,
        form_def.xml.encode("utf-8"),
        media_type="application/xml",
        etag=f'"{form_def.md5}"',
    )


def _xlsx_response(
    request: Request, db: Session, form: Form, form_def: FormDef
) -> Response:
    """Serve the XLSForm a definition came from, at the URL ending in its own type.

    As in ODK Central, ``.xls`` serves only a file uploaded as
    application/vnd.ms-excel and ``.xlsx`` only one uploaded as the OOXML type.
    Any other request is a 404.
    """
    suffix = ".xls" if request.url.path.endswith(".xls") else ".xlsx"
    if form_def.xls_blob_id is None or (
        xlsform.XLSX_TYPES.get(form_def.xls_content_type or "") != suffix
    ):
        raise errors.not_found(f"{suffix} XLSForm of form", form.xml_form_id)
    blob = db.get(Blob, form_def.xls_blob_id)
    return file_response(
        request,
        request.app.state.blobs.read(blob.sha256),
        media_type=form_def.xls_content_type,
        etag=f'"{blob.md5}"',
        filename=form.xml_form_id + suffix,
    )


@router.get("")
def list_forms(
    project_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.list")),
):
    """List the forms the caller may read, each described by its published version
    (or its draft if never published).

    As in ODK Central, a form never published (described by its draft, with its draft
    token) is listed only to those who may update it, and a closed form is not listed
    to data collectors.
    """
    result = []
    for form in service.list_forms(db, project_id):
        form_def = _describing_def(db, form)
        if service.can_read(principal, form, form_def):
            result.append(service.form_json(form, form_def))
    return result


@router.post("")
async def create_form(
    project_id: int,
    request: Request,
    ignore_warnings: str | None = Query(default=None, alias="ignoreWarnings"),
    publish: str | None = None,
    principal: Principal = Depends(Authorize("form.create")),
    db: Session = Depends(get_session),
):
    """Create a form from an XForm (.xml) or XLSForm (.xlsx, .xls) body."""
    definition = await _definition(request)
    if definition is None:
        raise errors.unexpected_value("body", "empty", "send the XForm or XLSForm file")

    def store() -> dict[str, Any]:
        project = get_project(db, project_id)
        form = service.create_form(
            db,
            request.app.state.blobs,
            project,
            definition,
            publish=_flag(publish),
            ignore_warnings=_flag(ignore_warnings),
            actor_id=principal.actor.id,
        )
        db.commit()
        form_def = db.get(FormDef, form.current_def_id or form.draft_def_id)
        return service.form_json(form, form_def)

    body = await run_in_threadpool(store)
    body["warnings"] = definition.warnings
    return body


@router.get(FORM + ".xml")
def download_xml(
    project_id: int,
    xml_form_id: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """Return the published XForm XML, byte for byte what devices download."""
    form, _ = _readable_form(db, principal, project_id, xml_form_id)
    return _xml_response(request, service.current_def(db, form))


@router.get(FORM + ".xlsx")
@router.get(FORM + ".xls")
def download_xlsform(
    project_id: int,
    xml_form_id: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """The XLSForm the published version was converted from."""
    form, _ = _readable_form(db, principal, project_id, xml_form_id)
    return _xlsx_response(request, db, form, service.current_def(db, form))


@router.get(FORM)
def get_form(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """One form, described by its published version (or its draft if never published)."""
    form, form_def = _readable_form(db, principal, project_id, xml_form_id)
    return service.form_json(form, form_def)


@router.patch(FORM)
def update_form(
    project_id: int,
    xml_form_id: str,
    changes: dict[str, Any] = Body(...),
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Change a form's state: open, closing (no new devices) or closed."""
    unknown = set(changes) - {"state"}
    if unknown:
        field = sorted(unknown)[0]
        raise errors.Problem(
            400.4,
            f"Field '{field}' cannot be changed; send only 'state'.",
            {"field": field},
        )
    form = service.get_form(db, project_id, xml_form_id)
    if "state" in changes:
        service.set_state(db, form, str(changes["state"]), actor_id=principal.actor.id)
    db.commit()
    return service.form_json(
        form, db.get(FormDef, form.current_def_id or form.draft_def_id or -1)
    )


@router.delete(FORM)
def delete_form(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.delete")),
):
    """Delete a form; its submissions stay stored but are no longer served."""
    form = service.get_form(db, project_id, xml_form_id)
    service.delete_form(db, form, actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.post(FORM + "/draft")
async def create_draft(
    project_id: int,
    xml_form_id: str,
    request: Request,
    ignore_warnings: str | None = Query(default=None, alias="ignoreWarnings"),
    principal: Principal = Depends(Authorize("form.update")),
    db: Session = Depends(get_session),
):
    """Start a new draft from an uploaded definition, or from the published version."""
    definition = await _definition(request)

    def store() -> None:
        form = service.get_form(db, project_id, xml_form_id)
        service.replace_draft(
            db,
            request.app.state.blobs,
            form,
            definition,
            ignore_warnings=_flag(ignore_warnings),
            actor_id=principal.actor.id,
        )
        db.commit()

    await run_in_threadpool(store)
    body: dict[str, Any] = {"success": True}
    if definition is not None:
        body["warnings"] = definition.warnings
    return body


@router.get(FORM + "/draft.xml")
def download_draft_xml(
    project_id: int,
    xml_form_id: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Return the draft's XForm XML."""
    form = service.get_form(db, project_id, xml_form_id)
    return _xml_response(request, service.draft_def(db, form))


@router.get(FORM + "/draft.xlsx")
@router.get(FORM + "/draft.xls")
def download_draft_xlsform(
    project_id: int,
    xml_form_id: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Return the XLSForm the draft was converted from."""
    form = service.get_form(db, project_id, xml_form_id)
    return _xlsx_response(request, db, form, service.draft_def(db, form))


@router.get(FORM + "/draft")
def get_draft(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Return the draft's details, including its draft token."""
    form = service.get_form(db, project_id, xml_form_id)
    return service.form_json(form, service.draft_def(db, form))


@router.delete(FORM + "/draft")
def delete_draft(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Abandon the draft; the published version stays as it is."""
    form = service.get_form(db, project_id, xml_form_id)
    service.delete_draft(db, form, actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.post(FORM + "/draft/publish")
def publish_draft(
    project_id: int,
    xml_form_id: str,
    version: str | None = None,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Publish the draft, optionally setting its version first (?version=)."""
    form = service.get_form(db, project_id, xml_form_id)
    service.publish_draft(db, form, version=version, actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.get(FORM + "/draft/attachments")
def list_draft_attachments(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """List the files the draft expects, and whether each has been uploaded."""
    form = service.get_form(db, project_id, xml_form_id)
    draft = service.draft_def(db, form)
    return [service.attachment_json(db, a) for a in service.attachments_of(db, draft.id)]


@router.post(FORM + "/draft/attachments/{name}")
async def upload_draft_attachment(
    project_id: int,
    xml_form_id: str,
    name: str,
    request: Request,
    principal: Principal = Depends(Authorize("form.update")),
    db: Session = Depends(get_session),
):
    """Upload the content of an expected file; the body is the raw bytes."""
    settings = request.app.state.settings
    data = await read_body(request, settings.max_attachment_bytes, "attachment")

    def store() -> dict[str, Any]:
        form = service.get_form(db, project_id, xml_form_id)
        draft = service.draft_def(db, form)
        attachment = service.get_attachment(db, draft.id, name)
        service.upload_attachment(
            db,
            request.app.state.blobs,
            form,
            attachment,
            data,
            request.headers.get("content-type"),
            actor_id=principal.actor.id,
        )
        db.commit()
        return service.attachment_json(db, attachment)

    return await run_in_threadpool(store)


@router.get(FORM + "/draft/attachments/{name}")
def download_draft_attachment(
    project_id: int,
    xml_form_id: str,
    name: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Download an uploaded draft attachment."""
    form = service.get_form(db, project_id, xml_form_id)
    return _attachment_response(request, db, service.draft_def(db, form), name)


@router.delete(FORM + "/draft/attachments/{name}")
def clear_draft_attachment(
    project_id: int,
    xml_form_id: str,
    name: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.update")),
):
    """Remove an uploaded file; the draft still expects it."""
    form = service.get_form(db, project_id, xml_form_id)
    attachment = service.get_attachment(db, service.draft_def(db, form).id, name)
    service.clear_attachment(db, form, attachment, actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


@router.get(FORM + "/attachments")
def list_attachments(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """The files the published version expects."""
    form, _ = _readable_form(db, principal, project_id, xml_form_id)
    current = service.current_def(db, form)
    return [
        service.attachment_json(db, a) for a in service.attachments_of(db, current.id)
    ]


@router.get(FORM + "/attachments/{name}")
def download_attachment(
    project_id: int,
    xml_form_id: str,
    name: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """Download a file of the published version (ETag and 304 supported)."""
    form, _ = _readable_form(db, principal, project_id, xml_form_id)
    return _attachment_response(request, db, service.current_def(db, form), name)


def _attachment_response(request: Request, db: Session, form_def: FormDef, name: str):
    attachment = service.get_attachment(db, form_def.id, name)
    if attachment.blob_id is None:
        raise errors.not_found("uploaded content of form attachment", name)
    blob = db.get(Blob, attachment.blob_id)
    return file_response(
        request,
        request.app.state.blobs.read(blob.sha256),
        media_type=attachment.content_type or "application/octet-stream",
        etag=f'"{blob.md5}"',
        filename=attachment.name,
    )


@router.get(FORM + "/versions")
def list_versions(
    project_id: int,
    xml_form_id: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """Every published version of the form, newest first."""
    form, _ = _readable_form(db, principal, project_id, xml_form_id)
    return [service.form_json(form, d) for d in service.published_defs(db, form)]


@router.get(FORM + "/versions/{version}.xml")
def download_version_xml(
    project_id: int,
    xml_form_id: str,
    version: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """The XForm XML of one published version."""
    _, form_def = _readable_version(db, principal, project_id, xml_form_id, version)
    return _xml_response(request, form_def)


@router.get(FORM + "/versions/{version}.xlsx")
@router.get(FORM + "/versions/{version}.xls")
def download_version_xlsform(
    project_id: int,
    xml_form_id: str,
    version: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """The XLSForm of one published version."""
    form, form_def = _readable_version(db, principal, project_id, xml_form_id, version)
    return _xlsx_response(request, db, form, form_def)


@router.get(FORM + "/versions/{version}")
def get_version(
    project_id: int,
    xml_form_id: str,
    version: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """One published version (``___`` names a blank version)."""
    form, form_def = _readable_version(db, principal, project_id, xml_form_id, version)
    return service.form_json(form, form_def)


@router.get(FORM + "/versions/{version}/attachments")
def list_version_attachments(
    project_id: int,
    xml_form_id: str,
    version: str,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """The files one published version expects."""
    _, form_def = _readable_version(db, principal, project_id, xml_form_id, version)
    return [
        service.attachment_json(db, a) for a in service.attachments_of(db, form_def.id)
    ]


@router.get(FORM + "/versions/{version}/attachments/{name}")
def download_version_attachment(
    project_id: int,
    xml_form_id: str,
    version: str,
    name: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """Download a file of one published version."""
    _, form_def = _readable_version(db, principal, project_id, xml_form_id, version)
    return _attachment_response(request, db, form_def, name)
