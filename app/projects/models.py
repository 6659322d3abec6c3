"""Projects, roles and role assignments."""

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.timeutil import UTCDateTime, utcnow


class Project(SQLModel, table=True):
    """A country pilot or study: its forms, app users and data live inside it."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=255)
    description: str | None = Field(default=None)
    archived: bool = Field(default=False)
    actee_id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), max_length=36, unique=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Role(SQLModel, table=True):
    """A role an actor can hold; rows come from the migrations, verbs from roles.py."""

    id: int = Field(primary_key=True)
    name: str = Field(max_length=100)
    system: str = Field(max_length=50, unique=True)


class Assignment(SQLModel, table=True):
    """A role given to an actor site-wide, on one project, or on one form."""

    __table_args__ = (
        UniqueConstraint("actor_id", "role_id", "scope_key", name="uq_assignment"),
        Index("ix_assignment_actor", "actor_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int = Field(foreign_key="actor.id")
    role_id: int = Field(foreign_key="role.id")
    project_id: int | None = Field(default=None, foreign_key="project.id")
    form_id: int | None = Field(default=None, foreign_key="form.id")
    # "site", "project:<id>" or "form:<id>": one non-null column for the unique key,
    # because NULLs never collide in a UNIQUE constraint.
    scope_key: str = Field(max_length=40)
