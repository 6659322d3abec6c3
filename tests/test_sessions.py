"""Bearer tokens: log in and out, expiry, login throttling, password hashes."""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, log_in, make_user


def _parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_login_returns_token_and_expiry(server):
    with server.client() as client:
        response = client.post(
            "/v1/sessions", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["token"]) >= 32
    assert body["expiresAt"].endswith("Z")
    expires = _parse_iso(body["expiresAt"])
    hours = server.settings.session_hours
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=hours))) < timedelta(
        minutes=5
    )


def test_current_user_with_token(server):
    token = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    with server.client(token) as client:
        response = client.get("/v1/users/current")
    assert response.status_code == 200, response.text
    assert response.json()["email"] == ADMIN_EMAIL


def test_current_user_without_token(server):
    with server.client() as client:
        response = client.get("/v1/users/current")
    assert response.status_code == 401
    assert response.json()["code"] == 401.2


def test_logout_ends_the_token(server):
    token = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    with server.client(token) as client:
        assert client.get("/v1/users/current").status_code == 200
        response = client.delete("/v1/sessions/current")
        assert response.status_code == 200, response.text
        after = client.get("/v1/users/current")
    assert after.status_code == 401
    assert after.json()["code"] == 401.2


def test_logout_leaves_other_tokens(server):
    first = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    second = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    with server.client(first) as client:
        assert client.delete("/v1/sessions/current").status_code == 200
    with server.client(second) as client:
        assert client.get("/v1/users/current").status_code == 200


def test_expired_session_fails(server):
    token = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    past = datetime.now(UTC) - timedelta(minutes=1)
    if server.backend == "sqlite":
        past = past.replace(tzinfo=None)
    with server.engine.begin() as connection:
        connection.execute(text("UPDATE session SET expires_at = :past"), {"past": past})
    with server.client(token) as client:
        response = client.get("/v1/users/current")
    assert response.status_code == 401
    assert response.json()["code"] == 401.2


def test_wrong_password_fails(server):
    with server.client() as client:
        response = client.post(
            "/v1/sessions", json={"email": ADMIN_EMAIL, "password": "not the password"}
        )
    assert response.status_code == 401
    assert response.json()["code"] == 401.2


def test_unknown_email_fails_like_wrong_password(server):
    with server.client() as client:
        response = client.post(
            "/v1/sessions", json={"email": "nobody@kazi.test", "password": ADMIN_PASSWORD}
        )
    assert response.status_code == 401
    assert response.json()["code"] == 401.2


def test_failed_logins_throttled_per_account(server, admin):
    make_user(admin, server, "other@kazi.test")
    limit = server.settings.login_max_failures
    with server.client() as client:
        for _ in range(limit):
            wrong = client.post(
                "/v1/sessions", json={"email": ADMIN_EMAIL, "password": "wrong guess"}
            )
            assert wrong.status_code == 401
        blocked = client.post(
            "/v1/sessions", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        other = client.post(
            "/v1/sessions",
            json={"email": "other@kazi.test", "password": "a long enough password"},
        )
    assert blocked.status_code == 429, blocked.text
    assert blocked.json()["code"] == 429.1
    assert int(blocked.headers["retry-after"]) > 0
    assert other.status_code == 200, other.text


def test_throttle_ignores_email_case(server):
    limit = server.settings.login_max_failures
    with server.client() as client:
        for attempt in range(limit):
            email = ADMIN_EMAIL.upper() if attempt % 2 else ADMIN_EMAIL
            client.post("/v1/sessions", json={"email": email, "password": "wrong guess"})
        blocked = client.post(
            "/v1/sessions", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
    assert blocked.status_code == 429


def test_passwords_stored_as_argon2(server, admin):
    make_user(admin, server, "hashed@kazi.test")
    with server.engine.connect() as connection:
        hashes = connection.execute(text('SELECT email, password_hash FROM "user"')).all()
    assert len(hashes) == 2
    for email, password_hash in hashes:
        assert password_hash.startswith("$argon2"), email
        assert "a long enough password" not in password_hash
        assert ADMIN_PASSWORD not in password_hash


def test_tokens_stored_hashed(server):
    token = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    with server.engine.connect() as connection:
        stored = [
            row[0] for row in connection.execute(text("SELECT token_hash FROM session"))
        ]
    assert token not in stored
    assert len(stored) == 1


def _login_seconds(server, email: str) -> float:
    with server.client() as client:
        started = time.perf_counter()
        response = client.post("/v1/sessions", json={"email": email, "password": "guess"})
        elapsed = time.perf_counter() - started
    assert response.status_code == 401
    return elapsed


def test_unknown_email_takes_as_long_as_wrong_password(server, admin):
    admin.post("/v1/users", json={"email": "nopassword@kazi.test"})
    known = sorted(_login_seconds(server, ADMIN_EMAIL) for _ in range(3))[1]
    unknown = sorted(_login_seconds(server, f"ghost{i}@kazi.test") for i in range(3))[1]
    no_password = sorted(
        _login_seconds(server, "nopassword@kazi.test") for _ in range(3)
    )[1]
    assert unknown > known / 2
    assert no_password > known / 2
