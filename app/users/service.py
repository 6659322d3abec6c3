"""Web users, app-user-independent sessions, and the first administrator."""

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app import errors
from app.audits import service as audits
from app.core import text
from app.core.security import MIN_PASSWORD_LENGTH, hash_password, new_token, token_hash
from app.core.timeutil import iso, utcnow
from app.projects.models import Assignment
from app.projects.roles import ADMIN
from app.users.models import Actor, AuthSession, User

logger = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    email = text.check("email", email.strip().lower(), text.MAX_EMAIL)
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or " " in email:
        raise errors.unexpected_value(
            "email", email, "expected an address like name@example.org"
        )
    return email


def check_password_length(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise errors.password_too_short(MIN_PASSWORD_LENGTH)


def create_user(
    db: Session, email: str, password: str | None, *, by_actor_id: int | None
) -> tuple[Actor, User]:
    """Create a web user; without a password it can log in only after one is set."""
    email = normalize_email(email)
    if password is not None:
        check_password_length(password)
    if db.exec(select(User).where(User.email == email)).first() is not None:
        raise errors.uniqueness_violation("email", email)
    actor = Actor(type="user", display_name=email)
    db.add(actor)
    db.flush()
    user = User(
        actor_id=actor.id,
        email=email,
        password_hash=hash_password(password) if password else None,
    )
    db.add(user)
    audits.record(
        db,
        "user.create",
        actor_id=by_actor_id,
        actee_id=actor.actee_id,
        details={"data": {"email": email}},
    )
    return actor, user


def find_user_by_email(db: Session, email: str) -> tuple[Actor, User] | None:
    """Return the web user with exactly this email, unless deleted.

    Case and surrounding spaces are ignored, as at login, because emails are stored
    lowercased.
    """
    row = db.exec(
        select(Actor, User).where(
            Actor.id == User.actor_id,
            col(Actor.deleted_at).is_(None),
            User.email == email.strip().lower(),
        )
    ).first()
    return None if row is None else (row[0], row[1])


def search_users(db: Session, q: str | None) -> list[tuple[Actor, User]]:
    """List web users that are not deleted, ordered by email.

    With ``q``, only users whose email or display name contains ``q``, ignoring case,
    are listed. ``%``, ``_`` and ``\\`` in ``q`` match themselves.
    NOTE: ODK Central also matches and ranks by pg_trgm similarity, so a search such
    as ``chelsea getodk`` finds users there that this substring match misses.
    """
    query = select(Actor, User).where(
        Actor.id == User.actor_id, col(Actor.deleted_at).is_(None)
    )
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            col(User.email).ilike(pattern, escape="\\")
            | col(Actor.display_name).ilike(pattern, escape="\\")
        )
    rows = db.exec(query.order_by(col(User.email))).all()
    return [(actor, user) for actor, user in rows]


def grant_site_admin(db: Session, actor: Actor, *, by_actor_id: int | None) -> None:
    exists = db.exec(
        select(Assignment).where(
            Assignment.actor_id == actor.id,
            Assignment.role_id == ADMIN,
            Assignment.scope_key == "site",
        )
    ).first()
    if exists:
        return
    db.add(Assignment(actor_id=actor.id, role_id=ADMIN, scope_key="site"))
    audits.record(
        db,
        "user.assignment.create",
        actor_id=by_actor_id,
        actee_id=actor.actee_id,
        details={"roleId": ADMIN, "grantedActorId": actor.id},
    )


def check_not_last_admin(db: Session, actor_id: int) -> None:
    """Raise 409 if ``actor_id`` is the only live site administrator.

    NOTE: two administrators removing each other in concurrent requests can still
    both pass this check.
    """
    admins = db.exec(
        select(Assignment.actor_id)
        .join(Actor, Actor.id == Assignment.actor_id)
        .where(
            Assignment.role_id == ADMIN,
            Assignment.scope_key == "site",
            Actor.deleted_at == None,  # noqa: E711
        )
    ).all()
    if actor_id in admins and len(set(admins)) == 1:
        raise errors.last_administrator(actor_id)


def create_session(
    db: Session, actor: Actor, hours: int, expires_at: datetime | None = None
) -> tuple[str, AuthSession]:
    token = new_token()
    row = AuthSession(
        token_hash=token_hash(token),
        actor_id=actor.id,
        csrf=secrets.token_urlsafe(32),
        expires_at=expires_at or utcnow() + timedelta(hours=hours),
    )
    db.add(row)
    return token, row


def session_json(token: str, row: AuthSession) -> dict[str, Any]:
    return {
        "token": token,
        "csrf": row.csrf,
        "expiresAt": iso(row.expires_at),
        "createdAt": iso(row.created_at),
    }


def actor_json(actor: Actor) -> dict[str, Any]:
    """Shape an actor as ODK Central's Actor frame does, without an email."""
    return {
        "id": actor.id,
        "type": actor.type,
        "displayName": actor.display_name,
        "createdAt": iso(actor.created_at),
        "updatedAt": iso(actor.updated_at),
        "deletedAt": iso(actor.deleted_at),
    }


def user_json(actor: Actor, user: User) -> dict[str, Any]:
    return {**actor_json(actor), "type": "user", "email": user.email}
