"""Reading, reviewing and deleting stored submissions."""

from typing import Any

from sqlmodel import Session, col, select

from app import errors
from app.audits import service as audits
from app.blobs.models import Blob
from app.core.timeutil import iso, utcnow
from app.forms.models import Form, FormDef
from app.submissions.models import (
    REVIEW_STATES,
    Submission,
    SubmissionAttachment,
    SubmissionDef,
)
from app.users import service as users
from app.users.models import Actor


def list_submissions(
    db: Session,
    form: Form,
    *,
    deleted: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[tuple[Submission, SubmissionDef]]:
    """List the form's submissions with their current versions, newest first.

    As in Central, ``deleted`` lists only the soft-deleted submissions instead of the
    live ones.
    """
    deleted_at = col(Submission.deleted_at)
    query = (
        select(Submission, SubmissionDef)
        .join(SubmissionDef, col(SubmissionDef.id) == Submission.current_def_id)
        .where(
            Submission.form_id == form.id,
            deleted_at.is_not(None) if deleted else deleted_at.is_(None),
        )
        .order_by(col(Submission.created_at).desc(), col(Submission.id).desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.exec(query))


def get_submission(db: Session, form: Form, instance_id: str) -> Submission:
    """Find a live submission by the instanceID of its first version, or raise 404."""
    submission = db.exec(
        select(Submission).where(
            Submission.form_id == form.id, Submission.instance_id == instance_id
        )
    ).first()
    if submission is None or submission.deleted_at is not None:
        raise errors.not_found("submission", instance_id)
    return submission


def root_instance_id(db: Session, form: Form, instance_id: str) -> str | None:
    """Return the first instanceID of the live submission with a version ``instance_id``.

    This is Central's getRootForInstanceId, which it uses to redirect a request for a
    later version's instanceID to that version's URL.
    """
    return db.exec(
        select(Submission.instance_id)
        .join(SubmissionDef, col(SubmissionDef.submission_id) == Submission.id)
        .where(
            Submission.form_id == form.id,
            SubmissionDef.instance_id == instance_id,
            col(Submission.deleted_at).is_(None),
        )
    ).first()


def current_version(db: Session, submission: Submission) -> SubmissionDef:
    return db.get(SubmissionDef, submission.current_def_id)


def versions(db: Session, submission: Submission) -> list[SubmissionDef]:
    """List every version of the submission, newest first."""
    return list(
        db.exec(
            select(SubmissionDef)
            .where(SubmissionDef.submission_id == submission.id)
            .order_by(col(SubmissionDef.id).desc())
        )
    )


def get_version(db: Session, submission: Submission, version_id: str) -> SubmissionDef:
    found = db.exec(
        select(SubmissionDef).where(
            SubmissionDef.submission_id == submission.id,
            SubmissionDef.instance_id == version_id,
        )
    ).first()
    if found is None:
        raise errors.not_found("submission version", version_id)
    return found


def attachments(db: Session, submission_def: SubmissionDef) -> list[SubmissionAttachment]:
    return list(
        db.exec(
            select(SubmissionAttachment)
            .where(SubmissionAttachment.submission_def_id == submission_def.id)
            .order_by(col(SubmissionAttachment.index), col(SubmissionAttachment.id))
        )
    )


def attachment_blob(
    db: Session, submission_def: SubmissionDef, name: str
) -> tuple[Blob, str | None]:
    """Return the stored file of an attachment and the Content-Type its part carried,
    or raise 404 if it has not arrived."""
    row = db.exec(
        select(SubmissionAttachment).where(
            SubmissionAttachment.submission_def_id == submission_def.id,
            SubmissionAttachment.name == name,
        )
    ).first()
    if row is None or row.blob_id is None:
        raise errors.not_found("submission attachment", name)
    return db.get(Blob, row.blob_id), row.content_type


def set_review_state(
    db: Session, form: Form, submission: Submission, state: Any, *, actor_id: int
) -> None:
    if state not in REVIEW_STATES:
        raise errors.unexpected_value(
            "reviewState", state, f"use one of {', '.join(REVIEW_STATES)}"
        )
    submission.review_state = state
    submission.updated_at = utcnow()
    db.add(submission)
    audits.record(
        db,
        "submission.update",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={
            "instanceId": submission.instance_id,
            "submissionId": submission.id,
            "reviewState": state,
        },
    )


def delete(db: Session, form: Form, submission: Submission, *, actor_id: int) -> None:
    """Mark the submission deleted; its instanceIDs stay taken, so resends get 409."""
    submission.deleted_at = utcnow()
    db.add(submission)
    audits.record(
        db,
        "submission.delete",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={"instanceId": submission.instance_id, "submissionId": submission.id},
    )


def get_deleted_submission(db: Session, form: Form, instance_id: str) -> Submission:
    """Find a soft-deleted submission by its first instanceID, or raise 404."""
    submission = db.exec(
        select(Submission).where(
            Submission.form_id == form.id,
            Submission.instance_id == instance_id,
            col(Submission.deleted_at).is_not(None),
        )
    ).first()
    if submission is None:
        raise errors.not_found("deleted submission", instance_id)
    return submission


def restore(db: Session, form: Form, submission: Submission, *, actor_id: int) -> None:
    """Undo a soft delete, so the submission is listed and its instanceIDs resolve."""
    submission.deleted_at = None
    db.add(submission)
    audits.record(
        db,
        "submission.restore",
        actor_id=actor_id,
        actee_id=form.actee_id,
        project_id=form.project_id,
        details={"instanceId": submission.instance_id, "submissionId": submission.id},
    )


def version_json(submission_def: SubmissionDef) -> dict[str, Any]:
    return {
        "instanceId": submission_def.instance_id,
        "instanceName": submission_def.instance_name,
        "submitterId": submission_def.submitter_id,
        "deviceId": submission_def.device_id,
        "userAgent": submission_def.user_agent,
        "createdAt": iso(submission_def.created_at),
        "current": submission_def.current,
        "deprecatedId": submission_def.deprecated_id,
        "invalidCharacters": submission_def.invalid_characters,
    }


def submission_json(submission: Submission, current: SubmissionDef) -> dict[str, Any]:
    """Shape a submission as ODK Central's REST API does, plus ``invalidCharacters``."""
    return {
        "instanceId": submission.instance_id,
        "submitterId": submission.submitter_id,
        "deviceId": submission.device_id,
        "createdAt": iso(submission.created_at),
        "updatedAt": iso(submission.updated_at),
        "reviewState": submission.review_state,
        "userAgent": submission.user_agent,
        "deletedAt": iso(submission.deleted_at),
        "invalidCharacters": submission.invalid_characters,
        "currentVersion": version_json(current),
    }


def actor_json(actor: Actor | None) -> dict[str, Any] | None:
    return users.actor_json(actor) if actor is not None else None


def load_actors(db: Session, actor_ids: list[int | None]) -> dict[int, Actor]:
    """Load the actors with the given ids in one query, keyed by id."""
    wanted = {actor_id for actor_id in actor_ids if actor_id is not None}
    if not wanted:
        return {}
    rows = db.exec(select(Actor).where(col(Actor.id).in_(wanted)))
    return {actor.id: actor for actor in rows}


def extended_submissions_json(
    db: Session, rows: list[tuple[Submission, SubmissionDef]]
) -> list[dict[str, Any]]:
    """Shape submissions as Central's X-Extended-Metadata response does.

    Each submission gains its ``submitter``, and its ``currentVersion`` gains the
    submitter of that version.
    """
    actor_ids = [submission.submitter_id for submission, _ in rows]
    actor_ids += [current.submitter_id for _, current in rows]
    actors = load_actors(db, actor_ids)
    shaped = []
    for submission, current in rows:
        body = submission_json(submission, current)
        body["submitter"] = actor_json(actors.get(submission.submitter_id))
        body["currentVersion"]["submitter"] = actor_json(actors.get(current.submitter_id))
        shaped.append(body)
    return shaped


def extended_versions_json(
    db: Session, submission_defs: list[SubmissionDef]
) -> list[dict[str, Any]]:
    """Shape versions as Central's X-Extended-Metadata response does.

    Each version gains its ``submitter`` and ``formVersion``, the version string of
    the form definition it was submitted against.
    """
    actors = load_actors(db, [row.submitter_id for row in submission_defs])
    form_def_ids = {row.form_def_id for row in submission_defs}
    form_versions = {
        form_def.id: form_def.version
        for form_def in db.exec(select(FormDef).where(col(FormDef.id).in_(form_def_ids)))
    }
    shaped = []
    for row in submission_defs:
        body = version_json(row)
        body["submitter"] = actor_json(actors.get(row.submitter_id))
        body["formVersion"] = form_versions.get(row.form_def_id)
        shaped.append(body)
    return shaped
