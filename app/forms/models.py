"""Forms, their versions (form definitions) and the media files they expect."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.core.timeutil import UTCDateTime, utcnow


class Form(SQLModel, table=True):
    """A questionnaire in a project, keyed by its XForm id (``xml_form_id``)."""

    __table_args__ = (UniqueConstraint("project_id", "xml_form_id", name="uq_form_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    xml_form_id: str = Field(max_length=255)
    state: str = Field(
        default="open", max_length=10, description="open, closing or closed"
    )
    current_def_id: int | None = Field(default=None)
    draft_def_id: int | None = Field(default=None)
    actee_id: str = Field(
        default_factory=lambda: str(uuid.uuid4()), max_length=36, unique=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FormDef(SQLModel, table=True):
    """One form version: the XForm XML, and the XLSForm it came from if any.

    A definition is a draft until ``published_at`` is set; published ones are never
    changed, so every submission stays linked to the definition it was filled on.
    """

    __tablename__ = "form_def"
    __table_args__ = (
        Index(
            "uq_form_def_published_version",
            "form_id",
            "version",
            unique=True,
            sqlite_where=text("published_at IS NOT NULL"),
            postgresql_where=text("published_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="form.id", index=True)
    xml: str = Field(sa_column=Column(Text, nullable=False))
    title: str | None = Field(default=None, max_length=1000)
    version: str = Field(default="", max_length=1000)
    md5: str = Field(max_length=32)
    sha1: str = Field(max_length=40)
    sha256: str = Field(max_length=64)
    xls_blob_id: int | None = Field(default=None, foreign_key="blob.id")
    xls_content_type: str | None = Field(default=None, max_length=255)
    draft_token: str | None = Field(default=None, max_length=64)
    key_id: int | None = Field(default=None)
    entities: list[dict] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FormAttachment(SQLModel, table=True):
    """A media or data file that a form definition references (image, CSV, ...)."""

    __tablename__ = "form_attachment"
    __table_args__ = (UniqueConstraint("form_def_id", "name", name="uq_form_attachment"),)

    id: int | None = Field(default=None, primary_key=True)
    form_def_id: int = Field(foreign_key="form_def.id", index=True)
    name: str = Field(max_length=255)
    type: str = Field(max_length=20, description="image, audio, video or file")
    blob_id: int | None = Field(default=None, foreign_key="blob.id")
    content_type: str | None = Field(default=None, max_length=255)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
