"""The audit log, as ODK Central serves it."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from app import errors
from app.audits import service
from app.auth import Authorize, Principal
from app.core.db import get_session

router = APIRouter(prefix="/v1", tags=["audits"])


def _parse_time(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    text = value.strip()
    if text[-1:] in ("z", "Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise errors.unexpected_value(
            name, value, "expected an ISO 8601 time such as 2026-12-04T00:00:00Z"
        ) from error
    if parsed.tzinfo is None:
        raise errors.unexpected_value(
            name, value, "add a time zone, for example a trailing Z"
        )
    return parsed


@router.get("/audits")
def list_audits(
    action: str | None = None,
    actor_id: int | None = Query(default=None, alias="actorId"),
    start: str | None = None,
    end: str | None = None,
    limit: int | None = Query(default=None, ge=1, le=10_000),
    offset: int = Query(default=0, ge=0),
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("audit.read", scope="site")),
):
    """List audits newest first, filtered by action, actor and time (inclusive)."""
    rows = service.search(
        db,
        action=action,
        actor_id=actor_id,
        start=_parse_time("start", start),
        end=_parse_time("end", end),
        limit=limit,
        offset=offset,
    )
    return [service.to_json(row) for row in rows]


@router.get("/projects/{project_id}/audits")
def list_project_audits(
    project_id: int,
    action: str | None = None,
    limit: int | None = Query(default=None, ge=1, le=10_000),
    offset: int = Query(default=0, ge=0),
    db: Session = Depends(get_session),
    principal: Principal = Depends(Authorize("audit.read")),
):
    """Audit entries about one project, newest first."""
    rows = service.search(
        db, action=action, project_id=project_id, limit=limit, offset=offset
    )
    return [service.to_json(row) for row in rows]
