"""Database engine and sessions for SQLite (embedded default) and PostgreSQL."""

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    """Create an engine with the durability settings each backend needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=8,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _configure_sqlite)
        # SQLite takes its write lock at the first write, which can deadlock two
        # readers that both upgrade; BEGIN IMMEDIATE takes it up front.
        event.listen(
            engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE")
        )
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(
            hide_password=False
        )
    # hide_parameters keeps emails, names and tokens out of errors and tracebacks.
    return create_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def _configure_sqlite(dbapi_connection, _record) -> None:
    # Python's sqlite3 module opens transactions itself; turning that off lets the
    # "begin" listener above decide how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL syncs the WAL at every commit, so an acknowledged write survives power loss.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session bound to the application's engine; FastAPI closes it."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session
