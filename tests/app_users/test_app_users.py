"""App users on ODK Central's paths: create, list, delete, revoke, form assignments."""

from datetime import UTC, datetime

from conftest import make_user
from odk_collect import (
    assign,
    collect_client,
    create_app_user,
    parse_form_list,
    publish,
    xform,
)
from sqlmodel import Session

from app.audits.models import Audit


def test_create_returns_central_shape(admin):
    response = admin.post("/v1/projects/1/app-users", json={"displayName": "collector-1"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "projectId",
        "id",
        "type",
        "displayName",
        "createdAt",
        "updatedAt",
        "deletedAt",
        "token",
        "csrf",
        "expiresAt",
    }
    assert body["projectId"] == 1
    assert body["type"] == "field_key"
    assert body["displayName"] == "collector-1"
    assert body["createdAt"].endswith("Z")
    assert body["updatedAt"] is None
    assert body["deletedAt"] is None
    assert len(body["token"]) >= 32
    assert body["expiresAt"] == "9999-12-31T23:59:59.000Z"
    assert response.headers["cache-control"] == "no-store"


def test_create_records_audit(admin):
    app_user = create_app_user(admin, "collector-1")

    audits = admin.get("/v1/audits", params={"action": "field_key.create"}).json()

    assert len(audits) == 1
    assert audits[0]["actorId"] == 1
    assert app_user.token not in str(audits)


def test_create_rejects_bad_names(admin):
    missing = admin.post("/v1/projects/1/app-users", json={})
    blank = admin.post("/v1/projects/1/app-users", json={"displayName": "   "})
    too_long = admin.post("/v1/projects/1/app-users", json={"displayName": "x" * 256})
    wrong_type = admin.post("/v1/projects/1/app-users", json={"displayName": 7})

    assert missing.status_code == 400
    assert missing.json()["code"] == 400.2
    assert blank.status_code == 400
    assert "displayName" in blank.json()["message"]
    assert too_long.status_code == 400
    assert wrong_type.status_code == 400
    assert admin.get("/v1/projects/1/app-users").json() == []


def test_create_in_unknown_project(admin):
    response = admin.post("/v1/projects/99/app-users", json={"displayName": "x"})

    assert response.status_code == 404


def test_list_shows_tokens_until_revoked(admin):
    first = create_app_user(admin, "first")
    second = create_app_user(admin, "second")
    third = create_app_user(admin, "third")
    assert admin.delete(f"/v1/sessions/{third.token}").status_code == 200

    listed = admin.get("/v1/projects/1/app-users").json()

    # Active app users first, newest first within each group, as in Central.
    assert [(a["displayName"], a["token"]) for a in listed] == [
        ("second", second.token),
        ("first", first.token),
        ("third", None),
    ]
    assert all(a["projectId"] == 1 and a["type"] == "field_key" for a in listed)
    assert "lastUsed" not in listed[0]


def test_list_extended_metadata(server, admin):
    app_user = create_app_user(admin, "collector-1")
    idle = create_app_user(admin, "idle")
    used_at = datetime(2026, 12, 4, 13, 6, 51, 256000, tzinfo=UTC)
    with Session(server.engine) as db:
        # The audit row the submission endpoint writes when this app user submits.
        db.add(Audit(action="submission.create", actor_id=app_user.id, logged_at=used_at))
        db.commit()

    listed = admin.get(
        "/v1/projects/1/app-users", headers={"X-Extended-Metadata": "true"}
    ).json()
    by_id = {a["id"]: a for a in listed}

    assert by_id[app_user.id]["lastUsed"] == "2026-12-04T13:06:51.256Z"
    assert by_id[idle.id]["lastUsed"] is None
    assert by_id[app_user.id]["createdBy"]["id"] == 1
    assert by_id[app_user.id]["createdBy"]["email"] == "admin@kazi.test"


def test_list_is_per_project(admin):
    other = admin.post("/v1/projects", json={"name": "Kenya pilot"}).json()["id"]
    create_app_user(admin, "here")
    create_app_user(admin, "there", project_id=other)

    here = admin.get("/v1/projects/1/app-users").json()
    there = admin.get(f"/v1/projects/{other}/app-users").json()

    assert [a["displayName"] for a in here] == ["here"]
    assert [a["displayName"] for a in there] == ["there"]


def test_delete_removes_user_and_assignments(server, admin):
    form_id = publish(admin, xform("household", "Household"))
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    deleted = admin.delete(f"/v1/projects/1/app-users/{app_user.id}")
    again = admin.delete(f"/v1/projects/1/app-users/{app_user.id}")

    assert deleted.status_code == 200
    assert again.status_code == 404
    assert admin.get("/v1/projects/1/app-users").json() == []
    assert admin.get(f"/v1/projects/1/forms/{form_id}/assignments").json() == []
    with collect_client(server, app_user.token) as client:
        assert client.get("/formList").status_code == 401


def test_delete_checks_project(admin):
    other = admin.post("/v1/projects", json={"name": "Kenya pilot"}).json()["id"]
    app_user = create_app_user(admin)

    response = admin.delete(f"/v1/projects/{other}/app-users/{app_user.id}")

    assert response.status_code == 404
    assert len(admin.get("/v1/projects/1/app-users").json()) == 1


def test_delete_refuses_web_users(admin):
    response = admin.delete("/v1/projects/1/app-users/1")

    assert response.status_code == 404


def test_manager_may_revoke_own_project_token(server, admin):
    other = admin.post("/v1/projects", json={"name": "Kenya pilot"}).json()["id"]
    manager = make_user(admin, server, "manager@kazi.test", role="manager")
    outsider = make_user(
        admin, server, "outsider@kazi.test", role="manager", project_id=other
    )
    app_user = create_app_user(admin)

    refused = outsider.delete(f"/v1/sessions/{app_user.token}")
    revoked = manager.delete(f"/v1/sessions/{app_user.token}")

    assert refused.status_code == 403
    assert revoked.status_code == 200
    audits = admin.get("/v1/audits", params={"action": "field_key.session.end"}).json()
    assert len(audits) == 1
    with collect_client(server, app_user.token) as client:
        assert client.get("/formList").status_code == 401
    manager.close()
    outsider.close()


def test_app_user_may_revoke_itself(server, admin):
    app_user = create_app_user(admin)

    with server.client() as client:
        response = client.delete(f"/v1/key/{app_user.token}/sessions/{app_user.token}")

    assert response.status_code == 200
    assert admin.get("/v1/projects/1/app-users").json()[0]["token"] is None


def test_roles_limit_app_user_management(server, admin):
    viewer = make_user(admin, server, "viewer@kazi.test", role="viewer")
    collector = make_user(admin, server, "collector@kazi.test", role="formfill")
    app_user = create_app_user(admin)

    assert (
        viewer.post("/v1/projects/1/app-users", json={"displayName": "x"}).status_code
        == 403
    )
    assert viewer.get("/v1/projects/1/app-users").status_code == 403
    assert collector.get("/v1/projects/1/app-users").status_code == 403
    assert collector.delete(f"/v1/projects/1/app-users/{app_user.id}").status_code == 403
    assert collector.delete(f"/v1/sessions/{app_user.token}").status_code == 403
    viewer.close()
    collector.close()


def test_unauthenticated_calls_rejected(server, admin):
    app_user = create_app_user(admin)

    with server.client() as client:
        listing = client.get("/v1/projects/1/app-users")
        revoking = client.delete(f"/v1/sessions/{app_user.token}")

    assert listing.status_code == 401
    assert revoking.status_code == 401


def test_assignment_by_role_id_and_name(server, admin):
    for form_id in ("alpha", "beta", "gamma"):
        publish(admin, xform(form_id, form_id.title()))
    app_user = create_app_user(admin)

    by_id = admin.post(f"/v1/projects/1/forms/alpha/assignments/2/{app_user.id}")
    by_name = admin.post(f"/v1/projects/1/forms/beta/assignments/app-user/{app_user.id}")
    duplicate = admin.post(f"/v1/projects/1/forms/alpha/assignments/2/{app_user.id}")
    wrong_role = admin.post(
        f"/v1/projects/1/forms/gamma/assignments/manager/{app_user.id}"
    )
    listed = admin.get("/v1/projects/1/forms/alpha/assignments").json()

    assert by_id.status_code == 200
    assert by_name.status_code == 200
    assert duplicate.status_code == 409
    assert wrong_role.status_code == 400
    assert listed == [{"actorId": app_user.id, "roleId": 2}]
    with collect_client(server, app_user.token) as client:
        assert [f["formID"] for f in parse_form_list(client.get("/formList"))] == [
            "alpha",
            "beta",
        ]


def test_unassignment_hides_form(server, admin):
    publish(admin, xform("alpha", "Alpha"))
    app_user = create_app_user(admin)
    assign(admin, app_user, "alpha")

    removed = admin.delete(f"/v1/projects/1/forms/alpha/assignments/2/{app_user.id}")

    assert removed.status_code == 200
    with collect_client(server, app_user.token) as client:
        assert parse_form_list(client.get("/formList")) == []
        assert client.get("/forms/alpha.xml").status_code == 403
