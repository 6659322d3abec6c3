"""GET /v1/users: any logged-in actor finds a user by exact email, as in ODK Central."""

import pytest

from tests.conftest import ADMIN_EMAIL, make_user

TARGET = "someone@example.org"


@pytest.fixture
def target_id(admin) -> int:
    created = admin.post("/v1/users", json={"email": TARGET})
    assert created.status_code == 200, created.text
    for email in ("nosomeone@example.org", "someone@example.org.uk"):
        other = admin.post("/v1/users", json={"email": email})
        assert other.status_code == 200, other.text
    return created.json()["id"]


def _emails(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [user["email"] for user in response.json()]


def test_manager_finds_user_by_email(server, admin, target_id):
    with make_user(admin, server, "manager@kazi.test", "manager") as manager:
        response = manager.get("/v1/users", params={"q": TARGET})
        assert _emails(response) == [TARGET]
        assert response.json()[0]["id"] == target_id
        assert response.json()[0]["type"] == "user"

        assigned = manager.post(f"/v1/projects/1/assignments/viewer/{target_id}")
        assert assigned.status_code == 200, assigned.text


def test_email_match_ignores_case_and_spaces(server, admin, target_id):
    with make_user(admin, server, "viewer@kazi.test", "viewer") as viewer:
        for q in ("SomeOne@Example.org", f" {TARGET} "):
            response = viewer.get("/v1/users", params={"q": q})
            assert _emails(response) == [TARGET], q


def test_non_admin_gets_no_partial_matches(server, admin, target_id):
    with make_user(admin, server, "manager@kazi.test", "manager") as manager:
        assert _emails(manager.get("/v1/users")) == []
        for q in ("someone", "example.org", "someone@example", "%", "_", "@", ""):
            response = manager.get("/v1/users", params={"q": q})
            assert _emails(response) == [], q
        pattern = manager.get("/v1/users", params={"q": "someone@example_org"})
        assert _emails(pattern) == []


def test_user_with_no_role_finds_by_email(server, admin, target_id):
    with make_user(admin, server, "nobody@kazi.test") as nobody:
        assert _emails(nobody.get("/v1/users", params={"q": TARGET})) == [TARGET]
        assert _emails(nobody.get("/v1/users", params={"q": ADMIN_EMAIL})) == [
            ADMIN_EMAIL
        ]
        assert _emails(nobody.get("/v1/users")) == []


def test_app_user_finds_by_email(server, admin, target_id):
    created = admin.post("/v1/projects/1/app-users", json={"displayName": "Tablet 1"})
    assert created.status_code == 200, created.text
    with server.client(created.json()["token"]) as app_user:
        assert _emails(app_user.get("/v1/users", params={"q": TARGET})) == [TARGET]
        assert _emails(app_user.get("/v1/users", params={"q": "someone"})) == []
        assert _emails(app_user.get("/v1/users")) == []


def test_deleted_user_not_found_by_email(server, admin, target_id):
    assert admin.delete(f"/v1/users/{target_id}").status_code == 200
    with make_user(admin, server, "manager@kazi.test", "manager") as manager:
        assert _emails(manager.get("/v1/users", params={"q": TARGET})) == []
    assert TARGET not in _emails(admin.get("/v1/users", params={"q": TARGET}))


def test_anonymous_rejected_even_with_exact_email(server, target_id):
    with server.client() as anonymous:
        response = anonymous.get("/v1/users", params={"q": TARGET})
        assert response.status_code == 401
        assert "email" not in response.text


def test_admin_exact_email_returns_only_that_user(admin, target_id):
    assert _emails(admin.get("/v1/users", params={"q": TARGET})) == [TARGET]
    assert _emails(admin.get("/v1/users", params={"q": "someone"})) == [
        "nosomeone@example.org",
        TARGET,
        "someone@example.org.uk",
    ]


def test_admin_search_ignores_case_and_escapes_wildcards(admin, target_id):
    assert _emails(admin.get("/v1/users", params={"q": "SOMEONE@EXAMPLE.ORG."})) == [
        "someone@example.org.uk"
    ]
    for q in ("%", "_", "\\", "someone@example_org"):
        assert _emails(admin.get("/v1/users", params={"q": q})) == [], q
