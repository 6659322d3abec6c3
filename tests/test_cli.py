"""The kazi command line, run as subprocesses against a temporary SQLite data folder."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.forms_api.helpers import FORMS

KAZI = Path(sys.executable).parent / "kazi"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    clean = {
        key: value for key, value in os.environ.items() if not key.startswith("KAZI_")
    }
    clean["KAZI_DATA_DIR"] = str(tmp_path / "data")
    clean["KAZI_LOG_LEVEL"] = "WARNING"
    return clean


def kazi(env, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KAZI), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _query(env, sql: str) -> list[tuple]:
    connection = sqlite3.connect(Path(env["KAZI_DATA_DIR"]) / "kazi.db")
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_migrate_creates_schema(env):
    result = kazi(env, "migrate")
    assert result.returncode == 0, result.stderr
    assert "database at revision" in result.stdout
    tables = {row[0] for row in _query(env, "SELECT name FROM sqlite_master")}
    assert {"actor", "form", "form_def", "audit", "alembic_version"} <= tables
    again = kazi(env, "migrate")
    assert again.returncode == 0, again.stderr


def test_user_create_and_promote(env):
    assert kazi(env, "migrate").returncode == 0
    created = kazi(
        env, "user", "create", "Field.Lead@Kazi.test", stdin="a long password\n"
    )
    assert created.returncode == 0, created.stderr
    assert "field.lead@kazi.test" in created.stdout
    stored = _query(env, 'SELECT email, password_hash FROM "user"')
    assert stored[0][0] == "field.lead@kazi.test"
    assert stored[0][1].startswith("$argon2")

    promoted = kazi(env, "user", "promote", "field.lead@kazi.test")
    assert promoted.returncode == 0, promoted.stderr
    roles = _query(env, "SELECT role_id, scope_key FROM assignment")
    assert roles == [(1, "site")]


def test_user_create_rejects_short_password(env):
    assert kazi(env, "migrate").returncode == 0
    result = kazi(env, "user", "create", "short@kazi.test", stdin="short\n")
    assert result.returncode == 1
    assert "too short" in result.stderr
    assert _query(env, 'SELECT count(*) FROM "user"') == [(0,)]


def test_user_create_without_password_fails(env):
    assert kazi(env, "migrate").returncode == 0
    result = kazi(env, "user", "create", "nopass@kazi.test", stdin="")
    assert result.returncode == 1
    assert "no password given" in result.stderr
    assert _query(env, 'SELECT count(*) FROM "user"') == [(0,)]


def test_promote_unknown_user_fails(env):
    assert kazi(env, "migrate").returncode == 0
    result = kazi(env, "user", "promote", "nobody@kazi.test")
    assert result.returncode == 1
    assert "nobody@kazi.test" in result.stderr


def test_form_publish(env):
    assert kazi(env, "migrate").returncode == 0
    _seed_project(env)
    result = kazi(
        env, "form", "publish", str(FORMS / "onadata__tutorial.xlsx"), "--project", "1"
    )
    assert result.returncode == 0, result.stderr
    assert "published onadata__tutorial in project 1" in result.stdout
    rows = _query(env, "SELECT xml_form_id, current_def_id IS NOT NULL FROM form")
    assert rows == [("onadata__tutorial", 1)]

    rejected = kazi(
        env, "form", "publish", str(FORMS / "ceat__Abidjan_2022.xls"), "--project", "1"
    )
    assert rejected.returncode == 1
    assert "HandWashHabits1" in rejected.stderr
    missing = kazi(
        env, "form", "publish", str(FORMS / "onadata__grains.xlsx"), "--project", "9"
    )
    assert missing.returncode == 1
    assert "project" in missing.stderr


def _seed_project(env) -> None:
    connection = sqlite3.connect(Path(env["KAZI_DATA_DIR"]) / "kazi.db")
    with connection:
        connection.execute(
            "INSERT INTO project (name, archived, actee_id, created_at) "
            "VALUES ('CLI project', 0, 'cli-project', '2026-12-04 00:00:00')"
        )
    connection.close()


def test_serve_seeds_empty_database(env, tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    shutil.copy(FORMS / "onadata__nested_repeats.xlsx", forms)
    shutil.copy(FORMS / "centralbackend__simpleEntity.xml", forms)
    env.update(
        KAZI_ADMIN_EMAIL="boss@kazi.test",
        KAZI_ADMIN_PASSWORD="served password 123",
        KAZI_FORMS_DIR=str(forms),
    )
    port = free_port()
    process = subprocess.Popen(
        [str(KAZI), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, process)
        with httpx.Client(base_url=base, timeout=30) as client:
            login = client.post(
                "/v1/sessions",
                json={"email": "boss@kazi.test", "password": "served password 123"},
            )
            assert login.status_code == 200, login.text
            client.headers["Authorization"] = f"Bearer {login.json()['token']}"
            projects = client.get("/v1/projects").json()
            assert [p["name"] for p in projects] == ["Default project"]
            listed = client.get(f"/v1/projects/{projects[0]['id']}/forms").json()
            assert sorted(f["xmlFormId"] for f in listed) == [
                "nested_repeats",
                "simpleEntity",
            ]
            assert all(f["publishedAt"] for f in listed)
            assert client.get("/v1/users").json()[0]["email"] == "boss@kazi.test"
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate(timeout=10)
    assert "served password 123" not in output


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kazi serve exited: {process.stdout.read()}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("kazi serve did not answer within 60 s")


def test_commands_before_migrate_fail_clearly(env):
    result = kazi(env, "user", "create", "early@kazi.test", stdin="a long password\n")
    assert result.returncode == 1
    assert "kazi migrate" in result.stderr
    assert "Traceback" not in result.stderr
