"""Submissions: one logical submission per first instanceID, and its versions.

A device edit sends a new instanceID with ``meta/deprecatedID`` set to the version it
replaces; the logical submission keeps its first instanceID and gains a version. The
unique constraints are what keep duplicates out, whatever the number of workers:
an instanceID appears at most once per form among all versions, and a version can be
replaced only once.
"""

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.timeutil import UTCDateTime, utcnow

REVIEW_STATES = ("hasIssues", "edited", "approved", "rejected")


class Submission(SQLModel, table=True):
    """A filled-in form, keyed by the instanceID of its first version."""

    __table_args__ = (
        UniqueConstraint("form_id", "instance_id", name="uq_submission_instance"),
        Index("ix_submission_form_created", "form_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    form_id: int = Field(foreign_key="form.id")
    instance_id: str = Field(max_length=255)
    # The current submission_def row. No foreign key, because submission_def points
    # back here and a cycle would complicate inserts and deletes on both databases.
    current_def_id: int | None = Field(default=None)
    submitter_id: int | None = Field(default=None, foreign_key="actor.id")
    device_id: str | None = Field(default=None, max_length=255)
    user_agent: str | None = Field(default=None, max_length=1000)
    review_state: str | None = Field(default=None, max_length=16)
    # Set when any version contained characters XML forbids; the stored bytes keep
    # them, and a data manager should look at the submission.
    invalid_characters: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SubmissionDef(SQLModel, table=True):
    """One version of a submission: the XML exactly as received, and who sent it."""

    __tablename__ = "submission_def"
    __table_args__ = (
        UniqueConstraint("form_id", "instance_id", name="uq_submission_def_instance"),
        UniqueConstraint("form_id", "deprecated_id", name="uq_submission_def_deprecated"),
        Index("ix_submission_def_submission", "submission_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id")
    form_id: int = Field(foreign_key="form.id")
    form_def_id: int = Field(foreign_key="form_def.id")
    instance_id: str = Field(max_length=255)
    deprecated_id: str | None = Field(default=None, max_length=255)
    xml: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    instance_name: str | None = Field(default=None, max_length=1000)
    submitter_id: int | None = Field(default=None, foreign_key="actor.id")
    device_id: str | None = Field(default=None, max_length=255)
    user_agent: str | None = Field(default=None, max_length=1000)
    encrypted: bool = Field(default=False)
    invalid_characters: bool = Field(default=False)
    current: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SubmissionAttachment(SQLModel, table=True):
    """A file a submission version references; ``blob_id`` is empty until it arrives."""

    __tablename__ = "submission_attachment"
    __table_args__ = (
        UniqueConstraint("submission_def_id", "name", name="uq_submission_attachment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_def_id: int = Field(foreign_key="submission_def.id")
    name: str = Field(max_length=255)
    blob_id: int | None = Field(default=None, foreign_key="blob.id")
    index: int = Field(default=0)
    # The part's Content-Type as the device sent it; None until the file arrives, or
    # when the part named none.
    content_type: str | None = Field(default=None, max_length=255)
