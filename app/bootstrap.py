"""First-start set-up: migrate, create the first administrator, publish shipped forms."""

import logging
import secrets
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app import errors
from app.blobs.store import BlobStore
from app.core import migrate
from app.core.config import Settings
from app.forms import service as forms
from app.projects import service as projects
from app.projects.models import Project
from app.users import service as users
from app.users.models import Actor, User

logger = logging.getLogger(__name__)

DEFAULT_PROJECT_NAME = "Default project"
FORM_SUFFIXES = {".xlsx": None, ".xls": None, ".xml": "application/xml"}


def default_forms_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "forms"


def prepare(settings: Settings, engine: Engine, announce=print) -> None:
    """Bring the database to the current schema and seed an empty one.

    ``announce`` receives the one-time message with a generated administrator password;
    it is printed on the console rather than logged so it never reaches log files.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logger.info(
        "data folder=%s database=%s",
        settings.data_dir.resolve(),
        engine.url.render_as_string(hide_password=True),
    )
    migrate.upgrade(engine)
    with Session(engine) as db:
        if db.exec(select(func.count()).select_from(Actor)).one() > 0:
            return
        _seed(db, settings, announce)


def _seed(db: Session, settings: Settings, announce) -> None:
    email = settings.admin_email or "admin@kazi.local"
    if settings.admin_password is not None:
        password = settings.admin_password.get_secret_value()
        generated = False
    else:
        password = secrets.token_urlsafe(12)
        generated = True
    actor, _ = users.create_user(db, email, password, by_actor_id=None)
    users.grant_site_admin(db, actor, by_actor_id=None)
    project = projects.create_project(db, DEFAULT_PROJECT_NAME, by_actor_id=None)
    db.commit()
    logger.info("first administrator created email=%s project=%s", email, project.id)
    if generated:
        announce(
            f"\nKazi created the first administrator {email} with the password\n\n"
            f"    {password}\n\nIt is shown only this once. Log in and change it, or set "
            "KAZI_ADMIN_EMAIL and KAZI_ADMIN_PASSWORD before the first start.\n"
        )
    blobs = BlobStore(settings.blob_dir, fsync=settings.fsync)
    folder = settings.forms_dir or default_forms_dir()
    publish_folder(db, blobs, project, folder, actor.id, settings=settings)


def publish_folder(
    db: Session,
    blobs: BlobStore,
    project: Project,
    folder: Path,
    actor_id: int | None,
    settings: Settings | None = None,
) -> list[str]:
    """Publish every XLSForm and XForm in ``folder``; a bad file is logged and skipped."""
    published = []
    if not folder.is_dir():
        logger.warning("forms folder not found path=%s", folder)
        return published
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in FORM_SUFFIXES or path.name.startswith((".", "~$")):
            continue
        try:
            form = publish_file(db, blobs, project, path, actor_id, settings)
        except errors.Problem as problem:
            db.rollback()
            logger.error(
                "form not published path=%s error=%s", path.name, problem.message
            )
            continue
        published.append(form)
    logger.info(
        "published %d forms from %s into project=%s", len(published), folder, project.id
    )
    return published


def publish_file(
    db: Session,
    blobs: BlobStore,
    project: Project,
    path: Path,
    actor_id: int | None,
    settings: Settings | None = None,
) -> str:
    settings = settings or Settings()
    definition = forms.read_definition(
        path.read_bytes(),
        FORM_SUFFIXES[path.suffix.lower()],
        fallback_form_id=path.stem,
        max_unzipped=settings.max_xlsx_unzipped_bytes,
    )
    form = forms.create_form(
        db,
        blobs,
        project,
        definition,
        publish=True,
        ignore_warnings=True,
        actor_id=actor_id,
    )
    db.commit()
    if definition.warnings:
        logger.warning(
            "form published with warnings form_id=%s warnings=%s",
            form.xml_form_id,
            definition.warnings,
        )
    return form.xml_form_id


def find_user(db: Session, email: str) -> Actor:
    user = db.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise errors.not_found("user", email)
    return db.get(Actor, user.actor_id)
