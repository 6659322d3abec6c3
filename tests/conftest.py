"""Test fixtures: a real Kazi server over HTTP on SQLite and, when configured, PostgreSQL.

Every test that touches the database runs once per backend. SQLite always runs;
PostgreSQL runs when ``KAZI_TEST_DATABASE_URL`` points at a server (CI sets it). Each
backend gets a fresh database migrated once per session, a uvicorn server on a
loopback port, and empty tables before every test.
"""

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from app.core import migrate
from app.core.config import Settings
from app.core.db import make_engine
from app.main import create_app

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN_EMAIL = "admin@kazi.test"
ADMIN_PASSWORD = "correct horse battery staple"  # noqa: S105 - test credential
KEPT_TABLES = {"role", "alembic_version"}


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", backends(), scope="session")


def backends() -> list[str]:
    found = ["sqlite"]
    if os.environ.get("KAZI_TEST_DATABASE_URL"):
        found.append("postgresql")
    return found


def create_database(backend: str, folder: Path) -> str:
    """Create an empty database for ``backend`` and return its URL."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'kazi.db'}"
    base = make_url(os.environ["KAZI_TEST_DATABASE_URL"]).set(
        drivername="postgresql+psycopg"
    )
    name = f"kazi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        )
    admin.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    backend: str
    url: str
    settings: Settings
    engine: Engine
    app: object

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kwargs)

    def reset(self) -> None:
        """Empty every table but the fixed ones, and the blob folder."""
        with self.engine.begin() as connection:
            tables = [
                name
                for name in reversed(list(_table_names(connection)))
                if name not in KEPT_TABLES
            ]
            if self.backend == "postgresql":
                quoted = ", ".join(f'"{name}"' for name in tables)
                connection.execute(
                    text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")  # noqa: S608
                )
            else:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for name in tables:
                    connection.exec_driver_sql(f'DELETE FROM "{name}"')  # noqa: S608
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        shutil.rmtree(self.settings.blob_dir, ignore_errors=True)
        self.settings.blob_dir.mkdir(parents=True, exist_ok=True)


def _table_names(connection):
    from app.models import metadata

    for table in metadata.sorted_tables:
        yield table.name


@pytest.fixture(scope="session")
def live_server(backend, tmp_path_factory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"kazi-{backend}")
    url = create_database(backend, folder)
    port = free_port()
    settings = Settings(
        data_dir=folder,
        database_url=url,
        base_url=f"http://127.0.0.1:{port}",
        forms_dir=folder / "no-forms",
    )
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError(f"test server on port {port} did not start")
        time.sleep(0.05)
    yield LiveServer(backend, f"http://127.0.0.1:{port}", settings, engine, app)
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()
    engine.dispose()
    drop_database(url)


@pytest.fixture
def server(live_server) -> LiveServer:
    """The live server with empty tables, one administrator and one project."""
    live_server.reset()
    from sqlmodel import Session

    from app.projects.service import create_project
    from app.users.service import create_user, grant_site_admin

    with Session(live_server.engine) as db:
        actor, _ = create_user(db, ADMIN_EMAIL, ADMIN_PASSWORD, by_actor_id=None)
        grant_site_admin(db, actor, by_actor_id=None)
        create_project(db, "Tanzania pilot", by_actor_id=None)
        db.commit()
    return live_server


def log_in(server: LiveServer, email: str, password: str) -> str:
    with server.client() as client:
        response = client.post(
            "/v1/sessions", json={"email": email, "password": password}
        )
    assert response.status_code == 200, response.text
    return response.json()["token"]


@pytest.fixture
def admin(server) -> Iterator[httpx.Client]:
    """An HTTP client logged in as the site administrator."""
    token = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    with server.client(token) as client:
        yield client


def make_user(
    admin_client: httpx.Client,
    server: LiveServer,
    email: str,
    role: str | None = None,
    project_id: int = 1,
) -> httpx.Client:
    """Create a web user, optionally give it a project role, and return its client."""
    password = "a long enough password"  # noqa: S105 - test credential
    response = admin_client.post("/v1/users", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    actor_id = response.json()["id"]
    if role:
        assigned = admin_client.post(
            f"/v1/projects/{project_id}/assignments/{role}/{actor_id}"
        )
        assert assigned.status_code == 200, assigned.text
    return server.client(log_in(server, email, password))
