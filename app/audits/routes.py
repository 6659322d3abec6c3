"""The audit log, as ODK Central serves it."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from app.audits import service
from app.audits.timestamps import parse_timestamp
from app.auth import Authorize, Principal
from app.core.db import get_session

router = APIRouter(prefix="/v1", tags=["audits"])


def _parse_time(field: str, value: str | None) -> datetime | None:
    return None if value is None else parse_timestamp(field, value)


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
    """List audits newest first, filtered by action, actor and time.

    As in ODK Central, ``start`` is inclusive and ``end`` exclusive, and a date alone
    means midnight at its start, so ``start=2000-01-01Z&end=2000-01-02Z`` covers
    exactly 2000-01-01 UTC.
    """
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
