"""The audit log: who did what, to which resource, when."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.core.timeutil import UTCDateTime, utcnow


class Audit(SQLModel, table=True):
    """One audited action, named as ODK Central names it (``form.update.publish``)."""

    __table_args__ = (
        Index("ix_audit_action_logged_at", "action", "logged_at"),
        Index("ix_audit_logged_at", "logged_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="actor.id")
    action: str = Field(max_length=64)
    actee_id: str | None = Field(default=None, max_length=36)
    project_id: int | None = Field(default=None)
    details: dict | None = Field(default=None, sa_column=Column(JSON))
    logged_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
