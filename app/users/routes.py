"""Sessions (log in and out) and web users, on ODK Central's paths."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlmodel import Session, col, select

from app import errors
from app.app_users import service as app_users
from app.audits import service as audits
from app.auth import Authorize, Principal, Public, check_password, get_principal
from app.core import text
from app.core.db import get_session
from app.core.security import token_hash
from app.core.timeutil import utcnow
from app.projects.roles import ROLE_VERBS
from app.users import service
from app.users.models import Actor, AuthSession, User

router = APIRouter(prefix="/v1", tags=["users"])


class SessionCreate(BaseModel):
    email: text.Email
    password: str


class UserCreate(BaseModel):
    email: text.Email
    password: str | None = None


@router.post("/sessions", dependencies=[Depends(Public())])
def log_in(body: SessionCreate, request: Request, db: Session = Depends(get_session)):
    """Exchange an email and password for a bearer token."""
    settings = request.app.state.settings
    actor = check_password(db, settings, body.email, body.password)
    token, row = service.create_session(db, actor, settings.session_hours)
    audits.record(db, "user.session.create", actor_id=actor.id, actee_id=actor.actee_id)
    db.commit()
    return service.session_json(token, row)


@router.delete("/sessions/current", dependencies=[Depends(Public())])
def log_out(request: Request, db: Session = Depends(get_session)):
    """End the session whose bearer token made this request."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.authentication_failed()
    row = db.get(AuthSession, token_hash(token.strip()))
    if row is None:
        raise errors.authentication_failed()
    db.delete(row)
    db.commit()
    return {"success": True}


@router.delete("/sessions/{token}", dependencies=[Depends(Public())])
def revoke_session(
    token: str,
    db: Session = Depends(get_session),
    principal: Principal | None = Depends(get_principal),
):
    """Revoke a token: one's own, or any token for a user allowed to manage its owner."""
    if principal is None:
        raise errors.authentication_failed()
    row = db.get(AuthSession, token_hash(token))
    if row is None:
        raise errors.not_found("session")
    if row.actor_id != principal.actor.id and not _may_revoke(
        db, principal, row.actor_id
    ):
        raise errors.insufficient_rights("session.end")
    owner = db.get(Actor, row.actor_id)
    if owner is not None and owner.type == "field_key":
        app_users.end_sessions(db, owner, by_actor_id=principal.actor.id)
    else:
        db.delete(row)
        audits.record(
            db,
            "user.session.delete",
            actor_id=principal.actor.id,
            details={"actorId": row.actor_id},
        )
    db.commit()
    return {"success": True}


def _may_revoke(db: Session, principal: Principal, actor_id: int) -> bool:
    if principal.is_admin:
        return True
    from app.projects.models import Assignment

    owner = db.get(Actor, actor_id)
    if owner is not None and owner.type == "field_key" and owner.project_id is not None:
        # App users belong to one project but hold roles only on its forms.
        return principal.can("field_key.delete", owner.project_id)
    projects = db.exec(
        select(Assignment.project_id).where(
            Assignment.actor_id == actor_id, col(Assignment.project_id).is_not(None)
        )
    ).all()
    return any(principal.can("field_key.delete", project_id) for project_id in projects)


@router.get("/users/current")
def current_user(
    request: Request,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("user.read.self", scope="self")),
):
    """The logged-in user; with X-Extended-Metadata, also the verbs it has site-wide."""
    actor = principal.actor
    user = db.get(User, actor.id)
    if user is None:
        raise errors.not_found("user", actor.id)
    body: dict[str, Any] = service.user_json(actor, user)
    if request.headers.get("x-extended-metadata", "").lower() == "true":
        verbs: set[str] = set()
        for role in principal.site_roles:
            verbs.update(ROLE_VERBS.get(role, []))
        body["verbs"] = sorted(verbs)
    return body


@router.get("/users")
def list_users(
    q: str | None = None,
    db: Session = Depends(get_session),
    # Any logged-in actor, app users included, may call this, as in ODK Central. The
    # body narrows the result for callers without user.list.
    principal: Principal = Depends(Authorize("user.list", scope="self")),
):
    """List web users, or find one by email.

    When ``q`` is the email of a user, the result is that user alone for any caller, so
    project managers can look up the actor id to assign a role to. Otherwise callers
    with user.list get the users whose email or display name contains ``q``, and
    everyone else gets ``[]``.
    """
    if q:
        exact = service.find_user_by_email(db, q)
        if exact is not None:
            return [service.user_json(*exact)]
    if not principal.can("user.list"):
        return []
    return [service.user_json(actor, user) for actor, user in service.search_users(db, q)]


@router.post("/users")
def create_user(
    body: UserCreate,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("user.create", scope="site")),
):
    """Create a web user."""
    actor, user = service.create_user(
        db, body.email, body.password, by_actor_id=principal.actor.id
    )
    db.commit()
    return service.user_json(actor, user)


@router.get("/users/{actor_id}")
def get_user(
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("user.read", scope="site")),
):
    """Return one web user by actor id."""
    actor = db.get(Actor, actor_id)
    user = db.get(User, actor_id)
    if actor is None or user is None or actor.deleted_at is not None:
        raise errors.not_found("user", actor_id)
    return service.user_json(actor, user)


@router.delete("/users/{actor_id}")
def delete_user(
    actor_id: int,
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("user.delete", scope="site")),
):
    """Retire a web user: its sessions end and it can no longer log in."""
    actor = db.get(Actor, actor_id)
    if actor is None or actor.type != "user" or actor.deleted_at is not None:
        raise errors.not_found("user", actor_id)
    service.check_not_last_admin(db, actor_id)
    actor.deleted_at = utcnow()
    for row in db.exec(select(AuthSession).where(AuthSession.actor_id == actor_id)):
        db.delete(row)
    audits.record(db, "user.delete", actor_id=principal.actor.id, actee_id=actor.actee_id)
    db.commit()
    return {"success": True}
