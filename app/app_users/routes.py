"""App users on ODK Central's paths, plus the QR codes that connect ODK Collect."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.app_users import qr, service
from app.auth import Authorize, Principal
from app.core.db import get_session
from app.core.http import wants_extended
from app.core.timeutil import iso
from app.projects.service import get_project

router = APIRouter(prefix="/v1/projects/{project_id}/app-users", tags=["app users"])

# Responses that carry a token must not stay in shared or browser caches.
NO_STORE = {"Cache-Control": "no-store"}


class AppUserCreate(BaseModel):
    displayName: str  # noqa: N815 - ODK Central's field name


@router.post("")
def create_app_user(
    project_id: int,
    body: AppUserCreate,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("field_key.create")),
):
    """Create an app user; its token goes in the device's server URL."""
    project = get_project(db, project_id)
    actor, token, session_row = service.create(
        db, project, body.displayName, by_actor_id=principal.actor.id
    )
    db.commit()

    result = service.app_user_json(actor, token)
    result["csrf"] = session_row.csrf
    result["expiresAt"] = iso(session_row.expires_at)
    return JSONResponse(result, headers=NO_STORE)


@router.get("")
def list_app_users(
    project_id: int,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("field_key.list")),
):
    """List the project's app users; revoked ones show a null token."""
    rows = service.list_for_project(db, project_id)
    extended = wants_extended(request)
    used = service.last_used(db, [actor.id for actor, _, _ in rows]) if extended else {}

    result: list[dict[str, Any]] = []
    for actor, field_key, token in rows:
        body = service.app_user_json(actor, token)
        if extended:
            body["createdBy"] = service.creator_json(db, field_key.created_by)
            body["lastUsed"] = iso(used.get(actor.id))
        result.append(body)
    return JSONResponse(result, headers=NO_STORE)


@router.delete("/{actor_id}")
def delete_app_user(
    project_id: int,
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("field_key.delete")),
):
    """Delete an app user: its token stops working and its assignments are removed."""
    actor, _ = service.get(db, project_id, actor_id)
    service.delete(db, actor, by_actor_id=principal.actor.id)
    db.commit()
    return {"success": True}


def _settings(request: Request, db: Session, project_id: int, actor_id: int) -> dict:
    _, field_key = service.get(db, project_id, actor_id)
    token = service.active_token(db, field_key)
    if token is None:
        raise service.revoked(actor_id)
    project = get_project(db, project_id)
    base_url = request.app.state.settings.public_base_url
    return qr.collect_settings(base_url, token, project.id, project.name)


@router.get("/{actor_id}/qr")
def get_qr_payload(
    project_id: int,
    actor_id: int,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("field_key.list")),
):
    """Return the text of the app user's Collect QR code and the settings it encodes."""
    settings = _settings(request, db, project_id, actor_id)
    body = {"payload": qr.encode_payload(settings), "settings": settings}
    return JSONResponse(body, headers=NO_STORE)


@router.get("/{actor_id}/qr.png")
def get_qr_png(
    project_id: int,
    actor_id: int,
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("field_key.list")),
):
    """Draw the app user's Collect QR code as a PNG image."""
    settings = _settings(request, db, project_id, actor_id)
    png = qr.qr_png(qr.encode_payload(settings))
    return Response(png, media_type="image/png", headers=NO_STORE)
