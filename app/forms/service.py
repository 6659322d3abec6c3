"""Forms: create from XLSForm or XForm, drafts, attachments, publishing, states."""

import hashlib
import logging
import mimetypes
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app import errors
from app.audits import service as audits
from app.auth import Principal
from app.blobs.models import Blob
from app.blobs.store import BlobStore
from app.core.timeutil import iso, utcnow
from app.forms import xlsform
from app.forms.models import Form, FormAttachment, FormDef
from app.forms.xform import ParsedXForm, parse_xform, set_root_attribute
from app.projects.models import Project
from app.projects.roles import role_grants

logger = logging.getLogger(__name__)

XML_TYPES = ("application/xml", "text/xml")
FORM_STATES = ("open", "closing", "closed")
# ODK Central gives these roles "open_form.read" rather than "form.read" (migration
# 20230907-01-opened-form-verb), so they read open and closing forms only. Kazi's role
# table grants them "form.read", and this set keeps the difference.
OPEN_FORM_ROLES = frozenset({"app-user", "formfill"})
# The /versions/{version} URL segment that names a blank version, as in ODK Central.
BLANK_VERSION = "___"


class Definition:
    """An uploaded form definition after conversion and checks, ready to store."""

    def __init__(
        self,
        xform: str,
        parsed: ParsedXForm,
        warnings: list[str],
        xls: bytes | None,
        xls_content_type: str | None,
    ):
        self.xform = xform
        self.parsed = parsed
        self.warnings = warnings
        self.xls = xls
        self.xls_content_type = xls_content_type


def read_definition(
    data: bytes,
    content_type: str | None,
    *,
    fallback_form_id: str | None,
    max_unzipped: int,
) -> Definition:
    """Turn an upload (XForm XML, .xlsx or .xls) into a checked definition."""
    if not data:
        raise errors.unexpected_value(
            "body", "empty", "send the XForm or XLSForm file as the body"
        )
    media = (content_type or "").split(";")[0].strip().lower()
    looks_like_xml = data.lstrip()[:1] == b"<"
    if media in XML_TYPES or (looks_like_xml and media not in xlsform.XLSX_TYPES):
        try:
            xform = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise errors.unexpected_value(
                "body",
                f"byte {error.start}",
                "the XForm is not valid UTF-8; save it as UTF-8",
            ) from error
        return Definition(xform, parse_xform(xform), [], None, None)
    kind = xlsform.file_type(content_type, data)
    if kind == ".xlsx":
        xlsform.check_zip(data, max_unzipped)
    conversion = xlsform.to_xform(data, kind, fallback_form_id)
    parsed = parse_xform(conversion.xform)
    stored_type = media if media in xlsform.XLSX_TYPES else _xls_media_type(kind)
    return Definition(conversion.xform, parsed, conversion.warnings, data, stored_type)


def _xls_media_type(kind: str) -> str:
    return next(media for media, suffix in xlsform.XLSX_TYPES.items() if suffix == kind)


def get_form(db: Session, project_id: int, xml_form_id: str) -> Form:
    form = db.exec(
        select(Form).where(Form.project_id == project_id, Form.xml_form_id == xml_form_id)
    ).first()
    if form is None or form.deleted_at is not None:
        raise errors.not_found("form", xml_form_id)
    return form


def current_def(db: Session, form: Form) -> FormDef:
    if form.current_def_id is None:
        raise errors.not_found("published version of form", form.xml_form_id)
    return db.get(FormDef, form.current_def_id)


def draft_def(db: Session, form: Form) -> FormDef:
    if form.draft_def_id is None:
        raise errors.not_found("draft of form", form.xml_form_id)
    return db.get(FormDef, form.draft_def_id)


def check_can_read(principal: Principal, form: Form, form_def: FormDef | None) -> None:
    """Apply ODK Central's rule for reading one definition of a form (canReadForm).

    A draft, including the only definition of a never-published form, needs
    form.update. A closed form needs form.read from a role other than app user or data
    collector. An open or closing form needs form.read alone, which the route's
    Authorize dependency has checked.
    """
    if form_def is None or form_def.published_at is None:
        if not principal.can("form.update", form.project_id, form.id):
            raise errors.insufficient_rights("form.update")
    elif form.state == "closed" and not _reads_closed_forms(principal, form):
        raise errors.Problem(
            403.1,
            f"Form '{form.xml_form_id}' is closed, so app users and data collectors can "
            "no longer read it. Ask a project manager to reopen it.",
            {"xmlFormId": form.xml_form_id, "state": form.state, "verb": "form.read"},
        )


def can_read(principal: Principal, form: Form, form_def: FormDef | None) -> bool:
    try:
        check_can_read(principal, form, form_def)
    except errors.Problem:
        return False
    return True


def _reads_closed_forms(principal: Principal, form: Form) -> bool:
    roles = set(principal.site_roles)
    roles |= principal.project_roles.get(form.project_id, set())
    form_project_id, form_roles = principal.form_roles.get(form.id, (None, set()))
    if form_project_id == form.project_id:
        roles |= form_roles
    return any(role_grants(role, "form.read") for role in roles - OPEN_FORM_ROLES)


def _new_def(
    db: Session, blobs: BlobStore, form: Form, definition: Definition
) -> FormDef:
    xls_blob_id = None
    if definition.xls is not None:
        xls_blob_id = blobs.store(db, definition.xls).id
    encoded = definition.xform.encode("utf-8")
    form_def = FormDef(
        form_id=form.id,
        xml=definition.xform,
        title=definition.parsed.title,
        version=definition.parsed.version,
        md5=hashlib.md5(encoded).hexdigest(),  # noqa: S324 - OpenRosa form hash
        sha1=hashlib.sha1(encoded).hexdigest(),  # noqa: S324 - Central's "sha" field
        sha256=hashlib.sha256(encoded).hexdigest(),
        xls_blob_id=xls_blob_id,
        xls_content_type=definition.xls_content_type,
        draft_token=secrets.token_urlsafe(48),
        entities=[asdict(e) for e in definition.parsed.entities] or None,
    )
    db.add(form_def)
    db.flush()
    for name, kind in sorted(definition.parsed.attachments.items()):
        db.add(FormAttachment(form_def_id=form_def.id, name=name, type=kind))
    return form_def


def _check_warnings(definition: Definition, ignore_warnings: bool) -> None:
    if definition.warnings and not ignore_warnings:
        raise errors.form_warnings(definition.warnings)


def create_form(
    db: Session,
    blobs: BlobStore,
    project: Project,
    definition: Definition,
    *,
    publish: bool,
    ignore_warnings: bool,
    actor_id: int | None,
) -> Form:
    """Create a form with its first definition as a draft, publishing it if asked."""
    _check_warnings(definition, ignore_warnings)
    xml_form_id = definition.parsed.xml_form_id
    existing = db.exec(
        select(Form).where(Form.project_id == project.id, Form.xml_form_id == xml_form_id)
    ).first()
    if existing is not None:
        raise errors.uniqueness_violation(
            "xmlFormId", f"'{xml_form_id}' in project {project.id}"
        )
    form = Form(project_id=project.id, xml_form_id=xml_form_id)
    db.add(form)
    db.flush()
    form_def = _new_def(db, blobs, form, definition)
    form.draft_def_id = form_def.id
    audits.record(
        db,
        "form.create",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=project.id,
        details={
            "xmlFormId": xml_form_id,
            "version": form_def.version,
            "warnings": definition.warnings,
        },
    )
    logger.info("form created project=%s form_id=%s", project.id, xml_form_id)
    if publish:
        publish_draft(db, form, version=None, actor_id=actor_id)
    return form


def replace_draft(
    db: Session,
    blobs: BlobStore,
    form: Form,
    definition: Definition | None,
    *,
    ignore_warnings: bool,
    actor_id: int | None,
) -> FormDef:
    """Start a draft from an upload, or from the published version when none is sent."""
    if definition is None:
        source = current_def(db, form)
        parsed = parse_xform(source.xml)
        xls = (
            blobs.read(db.get(Blob, source.xls_blob_id).sha256)
            if source.xls_blob_id
            else None
        )
        definition = Definition(source.xml, parsed, [], xls, source.xls_content_type)
    elif definition.parsed.xml_form_id != form.xml_form_id:
        raise errors.unexpected_value(
            "form ID",
            definition.parsed.xml_form_id,
            f"the draft must keep the form ID '{form.xml_form_id}'",
        )
    _check_warnings(definition, ignore_warnings)
    # As in ODK Central (FormAttachments.createVersion), files come from the draft
    # being replaced, or from the published version when there is no draft.
    uploaded = _uploaded_files(db, form.draft_def_id or form.current_def_id)
    if form.draft_def_id is not None:
        _discard_def(db, form.draft_def_id)
    form_def = _new_def(db, blobs, form, definition)
    _carry_attachments(db, uploaded, form_def)
    form.draft_def_id = form_def.id
    form.updated_at = utcnow()
    audits.record(
        db,
        "form.update.draft.set",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={"version": form_def.version},
    )
    return form_def


@dataclass(frozen=True)
class _UploadedFile:
    """An attachment slot's type and uploaded content, detached from its row."""

    type: str
    blob_id: int | None
    content_type: str | None
    updated_at: datetime | None


def _uploaded_files(db: Session, def_id: int | None) -> dict[str, _UploadedFile]:
    """Copy a definition's attachment slots by name, so they outlive its deletion."""
    if def_id is None:
        return {}
    return {
        a.name: _UploadedFile(a.type, a.blob_id, a.content_type, a.updated_at)
        for a in attachments_of(db, def_id)
    }


def _carry_attachments(
    db: Session, uploaded: dict[str, _UploadedFile], target: FormDef
) -> None:
    """Keep uploaded files whose name and type the new definition still expects."""
    for attachment in attachments_of(db, target.id):
        old = uploaded.get(attachment.name)
        if old is not None and old.type == attachment.type and old.blob_id is not None:
            attachment.blob_id = old.blob_id
            attachment.content_type = old.content_type
            attachment.updated_at = old.updated_at


def _discard_def(db: Session, def_id: int) -> None:
    for attachment in attachments_of(db, def_id):
        db.delete(attachment)
    form_def = db.get(FormDef, def_id)
    if form_def is not None and form_def.published_at is None:
        db.delete(form_def)


def delete_draft(db: Session, form: Form, *, actor_id: int | None) -> None:
    if form.current_def_id is None:
        raise errors.no_published_version(form.xml_form_id)
    draft_id = draft_def(db, form).id
    form.draft_def_id = None
    db.flush()
    _discard_def(db, draft_id)
    audits.record(
        db,
        "form.update.draft.delete",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
    )


def publish_draft(
    db: Session, form: Form, *, version: str | None, actor_id: int | None
) -> FormDef:
    """Publish the draft; a version this form has published before is a 409.

    An empty ``version`` is ignored, as ODK Central ignores ``?version=`` without a
    value.
    """
    form_def = draft_def(db, form)
    if version and version != form_def.version:
        from app.forms.xform import check_version

        check_version(version)
        _set_def_xml(form_def, set_root_attribute(form_def.xml, "version", version))
        form_def.version = version
    used = db.exec(
        select(FormDef.id).where(
            FormDef.form_id == form.id,
            FormDef.version == form_def.version,
            col(FormDef.published_at).is_not(None),
        )
    ).first()
    if used is not None:
        raise errors.version_conflict(form.xml_form_id, form_def.version)
    form_def.published_at = utcnow()
    form_def.draft_token = None
    form.current_def_id = form_def.id
    form.draft_def_id = None
    form.updated_at = utcnow()
    audits.record(
        db,
        "form.update.publish",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={"newDefId": form_def.id, "version": form_def.version},
    )
    logger.info(
        "form published project=%s form_id=%s version=%s",
        form.project_id,
        form.xml_form_id,
        form_def.version,
    )
    return form_def


def _set_def_xml(form_def: FormDef, xform: str) -> None:
    encoded = xform.encode("utf-8")
    form_def.xml = xform
    form_def.md5 = hashlib.md5(encoded).hexdigest()  # noqa: S324 - OpenRosa form hash
    form_def.sha1 = hashlib.sha1(encoded).hexdigest()  # noqa: S324 - Central's "sha" field
    form_def.sha256 = hashlib.sha256(encoded).hexdigest()


def set_state(db: Session, form: Form, state: str, *, actor_id: int | None) -> None:
    if state not in FORM_STATES:
        raise errors.unexpected_value(
            "state", state, f"use one of: {', '.join(FORM_STATES)}"
        )
    previous = form.state
    form.state = state
    form.updated_at = utcnow()
    audits.record(
        db,
        "form.update",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={"data": {"state": state}, "previous": previous},
    )


def attachments_of(db: Session, def_id: int) -> list[FormAttachment]:
    return list(
        db.exec(
            select(FormAttachment)
            .where(FormAttachment.form_def_id == def_id)
            .order_by(col(FormAttachment.name))
        )
    )


def get_attachment(db: Session, def_id: int, name: str) -> FormAttachment:
    attachment = db.exec(
        select(FormAttachment).where(
            FormAttachment.form_def_id == def_id, FormAttachment.name == name
        )
    ).first()
    if attachment is None:
        raise errors.not_found("form attachment", name)
    return attachment


def upload_attachment(
    db: Session,
    blobs: BlobStore,
    form: Form,
    attachment: FormAttachment,
    data: bytes,
    content_type: str | None,
    *,
    actor_id: int | None,
) -> Blob:
    blob = blobs.store(db, data)
    attachment.blob_id = blob.id
    media = (content_type or "").split(";")[0].strip()
    if not media or media == "application/x-www-form-urlencoded":
        media = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    attachment.content_type = media
    attachment.updated_at = utcnow()
    audits.record(
        db,
        "form.attachment.update",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={"name": attachment.name, "sha256": blob.sha256, "size": blob.size},
    )
    return blob


def clear_attachment(
    db: Session, form: Form, attachment: FormAttachment, *, actor_id: int | None
) -> None:
    attachment.blob_id = None
    attachment.content_type = None
    attachment.updated_at = utcnow()
    audits.record(
        db,
        "form.attachment.update",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={"name": attachment.name, "cleared": True},
    )


def attachment_json(db: Session, attachment: FormAttachment) -> dict[str, Any]:
    blob = db.get(Blob, attachment.blob_id) if attachment.blob_id else None
    body: dict[str, Any] = {
        "name": attachment.name,
        "type": attachment.type,
        "hash": blob.md5 if blob else None,
        "exists": blob is not None,
        "blobExists": blob is not None,
        "datasetExists": False,
        "updatedAt": iso(attachment.updated_at),
    }
    if blob is not None:
        body["size"] = blob.size
    return body


def form_json(form: Form, form_def: FormDef | None) -> dict[str, Any]:
    """Build the Central-shaped form document for one definition (published or draft)."""
    return {
        "projectId": form.project_id,
        "xmlFormId": form.xml_form_id,
        "state": form.state,
        "enketoId": None,
        "enketoOnceId": None,
        "createdAt": iso(form.created_at),
        "updatedAt": iso(form.updated_at),
        "keyId": None,
        "version": form_def.version if form_def else None,
        "hash": form_def.md5 if form_def else None,
        "sha": form_def.sha1 if form_def else None,
        "sha256": form_def.sha256 if form_def else None,
        "draftToken": form_def.draft_token
        if form_def and not form_def.published_at
        else None,
        "publishedAt": iso(form_def.published_at) if form_def else None,
        "name": (form_def.title if form_def else None) or form.xml_form_id,
        "webformsEnabled": False,
    }


def list_forms(db: Session, project_id: int) -> list[Form]:
    return list(
        db.exec(
            select(Form)
            .where(Form.project_id == project_id, col(Form.deleted_at).is_(None))
            .order_by(col(Form.xml_form_id))
        )
    )


def published_defs(db: Session, form: Form) -> list[FormDef]:
    return list(
        db.exec(
            select(FormDef)
            .where(FormDef.form_id == form.id, col(FormDef.published_at).is_not(None))
            .order_by(col(FormDef.published_at).desc(), col(FormDef.id).desc())
        )
    )


def published_def_by_version(db: Session, form: Form, version: str) -> FormDef:
    """Find a published version; ``___`` finds the one with a blank version."""
    if version == BLANK_VERSION:
        version = ""
    form_def = db.exec(
        select(FormDef).where(
            FormDef.form_id == form.id,
            FormDef.version == version,
            col(FormDef.published_at).is_not(None),
        )
    ).first()
    if form_def is None:
        raise errors.not_found("form version", version)
    return form_def


def delete_form(db: Session, form: Form, *, actor_id: int | None) -> None:
    form.deleted_at = utcnow()
    # Free the ID so a new form can take it, as ODK Central allows after deletion.
    form.xml_form_id = f"{form.xml_form_id}.deleted.{form.id}"
    audits.record(
        db,
        "form.delete",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
    )
