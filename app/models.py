"""Every table model, imported in one place for alembic and the tests."""

from sqlmodel import SQLModel

from app.audits.models import Audit
from app.blobs.models import Blob
from app.forms.models import Form, FormAttachment, FormDef
from app.projects.models import Assignment, Project, Role
from app.submissions.models import Submission, SubmissionAttachment, SubmissionDef
from app.users.models import Actor, AuthSession, FieldKey, LoginFailure, User

metadata = SQLModel.metadata

__all__ = [
    "Actor",
    "Assignment",
    "Audit",
    "AuthSession",
    "Blob",
    "FieldKey",
    "Form",
    "FormAttachment",
    "FormDef",
    "LoginFailure",
    "Project",
    "Role",
    "Submission",
    "SubmissionAttachment",
    "SubmissionDef",
    "User",
    "metadata",
]
