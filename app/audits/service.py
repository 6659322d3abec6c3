"""Writing and reading the audit log."""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.audits.models import Audit
from app.core.timeutil import iso


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    actee_id: str | None = None,
    project_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> Audit:
    """Add an audit row to the caller's transaction, so it commits with the change."""
    audit = Audit(
        action=action,
        actor_id=actor_id,
        actee_id=actee_id,
        project_id=project_id,
        details=details,
    )
    session.add(audit)
    return audit


def search(
    session: Session,
    *,
    action: str | None = None,
    actor_id: int | None = None,
    project_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Audit]:
    """List audits newest first, from ``start`` (inclusive) to ``end`` (exclusive).

    ``action`` may name a group (``form`` for ``form.*``).
    """
    query = select(Audit)
    if action and action not in ("nonverbose", "all"):
        query = query.where(
            (col(Audit.action) == action) | col(Audit.action).startswith(action + ".")
        )
    if actor_id is not None:
        query = query.where(Audit.actor_id == actor_id)
    if project_id is not None:
        query = query.where(Audit.project_id == project_id)
    if start is not None:
        query = query.where(Audit.logged_at >= start)
    if end is not None:
        query = query.where(Audit.logged_at < end)
    query = query.order_by(col(Audit.logged_at).desc(), col(Audit.id).desc()).offset(
        offset
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def by_submission(
    session: Session, submission_id: int, *, limit: int | None = None, offset: int = 0
) -> list[Audit]:
    """List the audits whose details name the submission, newest first.

    Central's Audits.getBySubmissionId selects on ``details.submissionId`` alone,
    whatever the action, so this does the same.
    """
    # NOTE: no index covers details.submissionId, so this scans the audit table.
    submission_key = col(Audit.details)["submissionId"].as_integer()
    query = (
        select(Audit)
        .where(submission_key == submission_id)
        .order_by(col(Audit.logged_at).desc(), col(Audit.id).desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def to_json(audit: Audit) -> dict[str, Any]:
    return {
        "id": audit.id,
        "actorId": audit.actor_id,
        "action": audit.action,
        "acteeId": audit.actee_id,
        "details": audit.details,
        "loggedAt": iso(audit.logged_at),
    }
