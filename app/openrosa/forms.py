"""OpenRosa form discovery for ODK Collect: the form list and form manifests.

Specs: https://docs.getodk.org/openrosa-form-list/ (both documents). Form XML and media
files are served by the forms API (``app/forms/routes.py``) at the URLs listed here.
Every listed URL keeps the ``/v1/key/{token}`` prefix of the request, so a device that
authenticates with an app-user URL keeps its token on each download. Collect appends
``?deviceID=...`` to each of them, which these routes ignore.
"""

import logging
from urllib.parse import quote
from xml.sax.saxutils import escape

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from app import errors
from app.auth import URL_PREFIX_SCOPE, Authorize, Principal
from app.blobs.models import Blob
from app.core.db import get_session
from app.forms import service as forms
from app.forms.models import Form, FormAttachment, FormDef
from app.openrosa.responses import OPENROSA_VERSION, OpenRosaRoute, openrosa_headers

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/v1/projects/{project_id}", route_class=OpenRosaRoute, tags=["openrosa"]
)

FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def require_openrosa_version(request: Request) -> None:
    """Reject requests without ``X-OpenRosa-Version: 1.0``, as ODK Central does (400.6).

    ODK Collect sends the header on every request; a browser does not, and gets an
    OpenRosa error document that names the missing header.
    """
    value = request.headers.get("x-openrosa-version")
    if value is None or value.strip() != OPENROSA_VERSION:
        raise errors.invalid_header(
            "X-OpenRosa-Version", value, f"OpenRosa clients must send {OPENROSA_VERSION}"
        )


def project_url(request: Request, project_id: int) -> str:
    """Return the absolute project URL the caller used, with any app-user token prefix."""
    base_url = request.app.state.settings.public_base_url
    # The key prefix is "/v1/key/{token}", and Central's app-user URLs continue with
    # "/projects/...", not "/v1/projects/...".
    prefix = request.scope.get(URL_PREFIX_SCOPE, "/v1")
    return f"{base_url}{prefix}/projects/{project_id}"


def _xml_response(request: Request, body: str) -> Response:
    settings = request.app.state.settings
    return Response(
        content=(XML_DECLARATION + body).encode("utf-8"),
        media_type="text/xml; charset=utf-8",
        headers={
            **openrosa_headers(settings.max_submission_bytes),
            "Cache-Control": "private, no-cache",
        },
    )


def _element(name: str, text: str) -> str:
    return f"<{name}>{escape(text)}</{name}>"


def listed_forms(
    db: Session, principal: Principal, project_id: int, xml_form_id: str | None
) -> list[tuple[Form, FormDef]]:
    """Return the published, open, live forms that the caller may read."""
    query = (
        select(Form, FormDef)
        .join(FormDef, col(FormDef.id) == Form.current_def_id)
        .where(
            Form.project_id == project_id,
            col(Form.deleted_at).is_(None),
            Form.state == "open",
        )
    )
    if xml_form_id is not None:
        query = query.where(Form.xml_form_id == xml_form_id)
    rows = [
        (form, form_def)
        for form, form_def in db.exec(query).all()
        if principal.can("form.read", project_id, form.id)
    ]
    # Sorted in Python so both databases give the same order whatever their collation.
    rows.sort(key=lambda row: (_name(*row).casefold(), _name(*row), row[0].xml_form_id))
    return rows


def _name(form: Form, form_def: FormDef) -> str:
    return form_def.title or form.xml_form_id


def _defs_with_attachments(db: Session, def_ids: list[int]) -> set[int]:
    if not def_ids:
        return set()
    found = db.exec(
        select(FormAttachment.form_def_id)
        .where(col(FormAttachment.form_def_id).in_(def_ids))
        .distinct()
    )
    return set(found)


def form_list_document(
    rows: list[tuple[Form, FormDef]], with_manifest: set[int], base: str
) -> str:
    items = []
    for form, form_def in rows:
        form_url = f"{base}/forms/{quote(form.xml_form_id, safe='')}"
        parts = [
            _element("formID", form.xml_form_id),
            _element("name", _name(form, form_def)),
            _element("version", form_def.version),
            # The MD5 of form_def.xml in UTF-8: the exact bytes the .xml route sends.
            _element("hash", f"md5:{form_def.md5}"),
            _element("downloadUrl", f"{form_url}.xml"),
        ]
        # Listed whenever the form expects files, even before any is uploaded, as
        # Central does; the manifest itself lists only files that have content.
        if form_def.id in with_manifest:
            parts.append(_element("manifestUrl", f"{form_url}/manifest"))
        items.append("<xform>" + "".join(parts) + "</xform>")
    return f'<xforms xmlns="{FORM_LIST_NS}">' + "\n".join(items) + "</xforms>"


@router.get("/formList", dependencies=[Depends(require_openrosa_version)])
def form_list(
    project_id: int,
    request: Request,
    xml_form_id: str | None = Query(default=None, alias="formID"),
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.list", project_app_users=True)),
):
    """Return the OpenRosa form list: the published open forms the caller may fill.

    ``formID`` limits the list to that form. ``verbose``, ``listAllVersions`` and
    ``deviceID`` are accepted and ignored, as in Central: only the current version of
    each form is listed, without descriptions.
    """
    rows = listed_forms(db, principal, project_id, xml_form_id)
    with_manifest = _defs_with_attachments(db, [form_def.id for _, form_def in rows])
    body = form_list_document(rows, with_manifest, project_url(request, project_id))
    logger.debug(
        "form list project=%s actor=%s forms=%d",
        project_id,
        principal.actor.id,
        len(rows),
    )
    return _xml_response(request, body)


def manifest_document(db: Session, form: Form, form_def: FormDef, base: str) -> str:
    form_url = f"{base}/forms/{quote(form.xml_form_id, safe='')}"
    items = []
    for attachment in forms.attachments_of(db, form_def.id):
        # Expected files without uploaded content are left out, so Collect never
        # records an empty hash for them.
        if attachment.blob_id is None:
            continue
        blob = db.get(Blob, attachment.blob_id)
        parts = [
            _element("filename", attachment.name),
            _element("hash", f"md5:{blob.md5}"),
            _element(
                "downloadUrl", f"{form_url}/attachments/{quote(attachment.name, safe='')}"
            ),
        ]
        items.append("<mediaFile>" + "".join(parts) + "</mediaFile>")
    return f'<manifest xmlns="{MANIFEST_NS}">' + "\n".join(items) + "</manifest>"


@router.get(
    "/forms/{xml_form_id}/manifest", dependencies=[Depends(require_openrosa_version)]
)
def form_manifest(
    project_id: int,
    xml_form_id: str,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("form.read")),
):
    """Return the OpenRosa manifest: the published version's files and their MD5s."""
    form = forms.get_form(db, project_id, xml_form_id)
    form_def = forms.current_def(db, form)
    # App users and data collectors read open and closing forms only, as in Central.
    forms.check_can_read(principal, form, form_def)
    return _xml_response(
        request, manifest_document(db, form, form_def, project_url(request, project_id))
    )
