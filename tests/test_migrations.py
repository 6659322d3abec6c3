"""Alembic revisions: a full upgrade and downgrade, and no drift from the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app.core import migrate
from app.core.db import make_engine
from app.models import metadata
from tests.conftest import create_database, drop_database


@pytest.fixture
def empty_engine(backend, tmp_path):
    url = create_database(backend, tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_database(url)


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_upgrade_then_downgrade_to_base(empty_engine):
    assert _tables(empty_engine) == set()

    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision(empty_engine)
    expected = {table.name for table in metadata.sorted_tables}
    assert expected <= _tables(empty_engine)

    migrate.downgrade(empty_engine, "base")
    assert migrate.current_revision(empty_engine) is None
    assert _tables(empty_engine) - {"alembic_version"} == set()


def test_upgrade_seeds_roles(empty_engine):
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id, system FROM role ORDER BY id").all()
    assert [tuple(row) for row in rows] == [
        (1, "admin"),
        (2, "app-user"),
        (3, "manager"),
        (4, "viewer"),
        (5, "formfill"),
        (6, "datamanager"),
    ]


def test_models_match_migrations(empty_engine):
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": metadata}
        )
        differences = compare_metadata(context, metadata)
    assert differences == []
