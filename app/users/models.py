"""Actors (web users and app users), their credentials and sessions."""

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from app.core.timeutil import UTCDateTime, utcnow


class Actor(SQLModel, table=True):
    """Anyone who can act on the server: a web user or an app user (device login)."""

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=20, description="user or field_key (app user)")
    display_name: str = Field(max_length=255)
    # The project an app user belongs to; web users are site-wide and have none.
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    actee_id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), max_length=36, unique=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class User(SQLModel, table=True):
    """A web user who logs in with email and password."""

    actor_id: int = Field(foreign_key="actor.id", primary_key=True)
    email: str = Field(sa_column=Column(String(320), nullable=False, unique=True))
    password_hash: str | None = Field(default=None, max_length=255)


class AuthSession(SQLModel, table=True):
    """A bearer token. Only its SHA-256 is stored, so a database leak leaks no tokens."""

    __tablename__ = "session"
    __table_args__ = (Index("ix_session_actor_id", "actor_id"),)

    token_hash: str = Field(primary_key=True, max_length=64)
    actor_id: int = Field(foreign_key="actor.id")
    csrf: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """One failed password login, kept to throttle guessing per account."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_email_at", "email", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FieldKey(SQLModel, table=True):
    """An app user's own token, kept so managers can show its QR code again.

    Authentication still goes through the hashed ``session`` row; revoking deletes
    both, so a revoked token stops working at once.
    """

    __tablename__ = "field_key"

    actor_id: int = Field(foreign_key="actor.id", primary_key=True)
    token: str | None = Field(default=None, max_length=128)
    created_by: int | None = Field(default=None, foreign_key="actor.id")
