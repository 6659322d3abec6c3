"""Liveness and readiness probes."""

from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlmodel import Session

from app.auth import Public
from app.core.db import get_session

router = APIRouter(tags=["health"])


@router.get("/healthz", dependencies=[Depends(Public())])
def health(db: Session = Depends(get_session)):
    """Report that the server runs and its database answers."""
    db.exec(text("SELECT 1"))
    return {"status": "ok"}
