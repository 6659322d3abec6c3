"""App users: project-scoped device logins that authenticate with a token in the URL.

An app user is an ``actor`` of type ``field_key`` tied to one project. Its token is an
ordinary session whose SHA-256 is stored in ``session``. The plain token is also kept
in ``field_key`` so a manager can show the QR code again. Revoking the session clears
that copy, so a revoked token is neither accepted nor shown.
"""

import logging
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from app import errors
from app.audits import service as audits
from app.audits.models import Audit
from app.core import text
from app.core.security import token_hash
from app.core.timeutil import iso, utcnow
from app.projects.models import Assignment, Project
from app.users import service as users
from app.users.models import Actor, AuthSession, FieldKey, User

logger = logging.getLogger(__name__)

# App-user tokens never expire on their own; ODK Central shows the same date.
NEVER_EXPIRES = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
MAX_DISPLAY_NAME = text.MAX_NAME


def check_display_name(display_name: str) -> str:
    name = display_name.strip()
    if not name:
        raise errors.unexpected_value(
            "displayName", display_name, "give the app user a non-empty name"
        )
    if len(name) > MAX_DISPLAY_NAME:
        raise errors.unexpected_value(
            "displayName", name[:40] + "...", f"use at most {MAX_DISPLAY_NAME} characters"
        )
    return text.check("displayName", name, MAX_DISPLAY_NAME)


def create(
    db: Session, project: Project, display_name: str, *, by_actor_id: int | None
) -> tuple[Actor, str, AuthSession]:
    """Create an app user in ``project`` with a token that lasts until revoked."""
    name = check_display_name(display_name)

    actor = Actor(type="field_key", display_name=name, project_id=project.id)
    db.add(actor)
    db.flush()
    token, session_row = users.create_session(db, actor, 0, expires_at=NEVER_EXPIRES)
    db.add(FieldKey(actor_id=actor.id, token=token, created_by=by_actor_id))

    audits.record(
        db,
        "field_key.create",
        actor_id=by_actor_id,
        actee_id=actor.actee_id,
        project_id=project.id,
        details={"data": {"displayName": name}},
    )
    logger.info("app user created project=%s actor=%s", project.id, actor.id)
    return actor, token, session_row


def get(db: Session, project_id: int, actor_id: int) -> tuple[Actor, FieldKey]:
    """Return a live app user of the project, or raise 404."""
    actor = db.get(Actor, actor_id)
    field_key = db.get(FieldKey, actor_id)
    if (
        actor is None
        or field_key is None
        or actor.type != "field_key"
        or actor.project_id != project_id
        or actor.deleted_at is not None
    ):
        raise errors.not_found("app user", actor_id)
    return actor, field_key


def active_token(db: Session, field_key: FieldKey) -> str | None:
    """Return the app user's token while its session exists, else None."""
    if not field_key.token:
        return None
    if db.get(AuthSession, token_hash(field_key.token)) is None:
        return None
    return field_key.token


def list_for_project(
    db: Session, project_id: int
) -> list[tuple[Actor, FieldKey, str | None]]:
    """List live app users with their active token, active ones first, newest first."""
    rows = db.exec(
        select(Actor, FieldKey)
        .where(
            col(Actor.id) == FieldKey.actor_id,
            Actor.type == "field_key",
            Actor.project_id == project_id,
            col(Actor.deleted_at).is_(None),
        )
        .order_by(col(Actor.created_at).desc(), col(Actor.id).desc())
    ).all()
    hashes = [token_hash(fk.token) for _, fk in rows if fk.token]
    live = (
        set(
            db.exec(
                select(AuthSession.token_hash).where(
                    col(AuthSession.token_hash).in_(hashes)
                )
            )
        )
        if hashes
        else set()
    )
    result = []
    for actor, field_key in rows:
        token = (
            field_key.token
            if field_key.token and token_hash(field_key.token) in live
            else None
        )
        result.append((actor, field_key, token))
    # Stable sort keeps newest-first order within the active and revoked groups.
    result.sort(key=lambda row: row[2] is None)
    return result


def end_sessions(db: Session, actor: Actor, *, by_actor_id: int | None) -> None:
    """Revoke every token of the app user, so its devices get 401 from now on."""
    for row in db.exec(select(AuthSession).where(AuthSession.actor_id == actor.id)):
        db.delete(row)
    field_key = db.get(FieldKey, actor.id)
    if field_key is not None:
        field_key.token = None
    audits.record(
        db,
        "field_key.session.end",
        actor_id=by_actor_id,
        actee_id=actor.actee_id,
        project_id=actor.project_id,
    )
    logger.info("app user revoked project=%s actor=%s", actor.project_id, actor.id)


def delete(db: Session, actor: Actor, *, by_actor_id: int | None) -> None:
    """Retire an app user: its token stops working and its form assignments go."""
    for assignment in db.exec(select(Assignment).where(Assignment.actor_id == actor.id)):
        db.delete(assignment)
    for row in db.exec(select(AuthSession).where(AuthSession.actor_id == actor.id)):
        db.delete(row)
    field_key = db.get(FieldKey, actor.id)
    if field_key is not None:
        field_key.token = None
    actor.deleted_at = utcnow()
    audits.record(
        db,
        "field_key.delete",
        actor_id=by_actor_id,
        actee_id=actor.actee_id,
        project_id=actor.project_id,
    )
    logger.info("app user deleted project=%s actor=%s", actor.project_id, actor.id)


def last_used(db: Session, actor_ids: list[int]) -> dict[int, datetime]:
    """Map each app user to its latest submission time, Central's ``lastUsed``."""
    if not actor_ids:
        return {}
    rows = db.exec(
        select(Audit.actor_id, func.max(Audit.logged_at))
        .where(col(Audit.actor_id).in_(actor_ids), Audit.action == "submission.create")
        .group_by(col(Audit.actor_id))
    ).all()
    return {actor_id: at for actor_id, at in rows if actor_id is not None}


def app_user_json(actor: Actor, token: str | None) -> dict[str, Any]:
    return {
        "projectId": actor.project_id,
        "id": actor.id,
        "type": "field_key",
        "displayName": actor.display_name,
        "createdAt": iso(actor.created_at),
        "updatedAt": iso(actor.updated_at),
        "deletedAt": iso(actor.deleted_at),
        "token": token,
    }


def creator_json(db: Session, actor_id: int | None) -> dict[str, Any] | None:
    """Describe the web user who created an app user, in Central's actor shape."""
    if actor_id is None:
        return None
    actor = db.get(Actor, actor_id)
    if actor is None:
        return None
    user = db.get(User, actor_id)
    if user is not None:
        return users.user_json(actor, user)
    return users.actor_json(actor)


def revoked(actor_id: int) -> errors.Problem:
    return errors.Problem(
        404.1,
        f"App user {actor_id} has no active token because it was revoked, so it has no "
        "QR code. Create a new app user to connect a device.",
        {"what": "app user token", "value": actor_id},
    )
