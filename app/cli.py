"""The ``kazi`` command line."""

import getpass
import logging
import os
import signal
import sys
from pathlib import Path

import typer
import uvicorn
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app import errors
from app.blobs.store import BlobStore
from app.bootstrap import find_user, prepare, publish_file
from app.core import logging as kazi_logging
from app.core.config import Settings
from app.core.db import make_engine
from app.projects.service import get_project
from app.users import service as users

cli = typer.Typer(
    help="Kazi field survey server.", no_args_is_help=True, add_completion=False
)
user_cli = typer.Typer(help="Manage web users.", no_args_is_help=True)
form_cli = typer.Typer(help="Manage forms.", no_args_is_help=True)
cli.add_typer(user_cli, name="user")
cli.add_typer(form_cli, name="form")

logger = logging.getLogger("kazi.cli")


def _setup(require_schema: bool = True) -> tuple[Settings, object]:
    """Read settings and open the database, creating the data folder on first use.

    Commands other than ``migrate`` and ``serve`` stop with a clear message when the
    schema is not at the latest revision, instead of failing on a missing table.
    """
    from app.core import migrate

    settings = Settings()
    kazi_logging.configure(settings.log_level)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    try:
        current = migrate.current_revision(engine)
    except OperationalError as error:
        url = engine.url
        where = url.database
        if url.host:
            where = f"{url.host}:{url.port or 5432}/{url.database}"
        cause = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        typer.echo(
            f"error: cannot connect to the database at {where}: {cause}; "
            "check KAZI_DATABASE_URL",
            err=True,
        )
        raise typer.Exit(code=1) from None
    if require_schema and current != migrate.head_revision(engine):
        typer.echo(
            "error: the database schema is not up to date; run `kazi migrate` first",
            err=True,
        )
        raise typer.Exit(code=1)
    return settings, engine


def _fail(problem: errors.Problem) -> None:
    typer.echo(f"error: {problem.message}", err=True)
    raise typer.Exit(code=1)


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="TCP port to listen on."),
    workers: int = typer.Option(1, help="Worker processes; each has its own pool."),
) -> None:
    """Migrate the database, seed an empty one, then serve HTTP."""
    settings, engine = _setup(require_schema=False)
    if "base_url" not in settings.model_fields_set:
        # Workers read their settings from the environment, so the derived URL goes there.
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - compared, not bound
        os.environ["KAZI_BASE_URL"] = f"http://{shown_host}:{port}"
        settings = Settings()
        if shown_host != host:
            logger.warning(
                "KAZI_BASE_URL is not set, so form lists and QR codes send devices to "
                "%s, which only this machine can reach; set KAZI_BASE_URL to the "
                "address devices use",
                settings.public_base_url,
            )
    prepare(settings, engine, announce=lambda text: typer.echo(text, err=True))
    engine.dispose()
    logger.info(
        "server starting host=%s port=%d workers=%d base_url=%s",
        host,
        port,
        workers,
        settings.public_base_url,
    )
    # uvicorn stops gracefully on SIGTERM, then raises the signal again with the
    # handler it found, so this handler makes that second delivery a normal exit.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=settings.log_level.lower(),
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            server_header=False,
            access_log=False,
        )
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            # uvicorn has logged the cause, such as the port already being in use.
            logger.error("server failed to start host=%s port=%d", host, port)
            raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        pass
    logger.info("server stopped")


def _exit_on_sigterm(_signum, _frame) -> None:
    raise SystemExit(0)


@cli.command(name="migrate")
def migrate_command() -> None:
    """Upgrade the database schema to the latest revision."""
    from app.core import migrate

    _settings, engine = _setup(require_schema=False)
    migrate.upgrade(engine)
    typer.echo(f"database at revision {migrate.current_revision(engine)}")


def _read_password(password: str | None) -> str:
    if password is not None:
        return password
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            typer.echo("error: the passwords differ", err=True)
            raise typer.Exit(code=1)
        return first
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        typer.echo(
            "error: no password given; pass --password, type it at a terminal, or "
            "send it on standard input",
            err=True,
        )
        raise typer.Exit(code=1)
    return line


@user_cli.command("create")
def user_create(
    email: str,
    password: str | None = typer.Option(
        None, help="Password; prompted for (or read from standard input) when omitted."
    ),
) -> None:
    """Create a web user."""
    _settings, engine = _setup()
    secret = _read_password(password)
    with Session(engine) as db:
        try:
            actor, user = users.create_user(db, email, secret, by_actor_id=None)
        except errors.Problem as problem:
            _fail(problem)
        db.commit()
        typer.echo(f"created user {user.email} (id {actor.id})")


@user_cli.command("promote")
def user_promote(email: str) -> None:
    """Make an existing user a site administrator."""
    _settings, engine = _setup()
    with Session(engine) as db:
        try:
            actor = find_user(db, email)
        except errors.Problem as problem:
            _fail(problem)
        users.grant_site_admin(db, actor, by_actor_id=None)
        db.commit()
        typer.echo(f"{email} is now an administrator")


@form_cli.command("publish")
def form_publish(
    path: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="XLSForm or XForm file."
    ),
    project: int = typer.Option(..., "--project", help="Project id to publish into."),
) -> None:
    """Create and publish a form from a file."""
    settings, engine = _setup()
    with Session(engine) as db:
        try:
            target = get_project(db, project)
            blobs = BlobStore(settings.blob_dir, fsync=settings.fsync)
            xml_form_id = publish_file(db, blobs, target, path, None, settings)
        except errors.Problem as problem:
            _fail(problem)
        typer.echo(f"published {xml_form_id} in project {project}")


def main() -> None:
    cli()
