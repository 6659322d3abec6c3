"""The audit log records logins, form, user and role changes, and filters them."""

from datetime import UTC, datetime, timedelta

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, log_in
from tests.forms_api.helpers import upload, xform


def _actions(admin, **params) -> list[str]:
    response = admin.get("/v1/audits", params=params)
    assert response.status_code == 200, response.text
    return [entry["action"] for entry in response.json()]


def test_form_lifecycle_audited(admin):
    upload(admin, xform(form_id="audited"))
    form = "/v1/projects/1/forms/audited"
    admin.post(form + "/draft/publish", params={"version": "7"})
    admin.patch(form, json={"state": "closing"})
    created = admin.get("/v1/audits", params={"action": "form.create"}).json()
    assert len(created) == 1
    assert created[0]["details"]["xmlFormId"] == "audited"
    assert created[0]["actorId"] == 1
    published = admin.get("/v1/audits", params={"action": "form.update.publish"}).json()
    assert [entry["details"]["version"] for entry in published] == ["7"]
    updates = admin.get("/v1/audits", params={"action": "form.update"}).json()
    assert {"data": {"state": "closing"}, "previous": "open"} in [
        entry["details"] for entry in updates
    ]
    assert _actions(admin, action="form")[:3] == [
        "form.update",
        "form.update.publish",
        "form.create",
    ]


def test_login_user_and_role_changes_audited(server, admin):
    created = admin.post("/v1/users", json={"email": "v@kazi.test", "password": "x" * 12})
    actor_id = created.json()["id"]
    admin.post(f"/v1/projects/1/assignments/viewer/{actor_id}")
    admin.delete(f"/v1/projects/1/assignments/viewer/{actor_id}")
    log_in(server, "v@kazi.test", "x" * 12)
    actions = _actions(admin)
    for action in (
        "user.session.create",
        "user.create",
        "user.assignment.create",
        "user.assignment.delete",
    ):
        assert action in actions
    sessions = admin.get("/v1/audits", params={"action": "user.session.create"}).json()
    assert {entry["actorId"] for entry in sessions} == {1, actor_id}


def test_filter_by_actor(server, admin):
    created = admin.post("/v1/users", json={"email": "m@kazi.test", "password": "x" * 12})
    actor_id = created.json()["id"]
    admin.post(f"/v1/projects/1/assignments/manager/{actor_id}")
    with server.client(log_in(server, "m@kazi.test", "x" * 12)) as manager:
        assert upload(manager, xform(form_id="by_manager")).status_code == 200
    mine = admin.get("/v1/audits", params={"actorId": actor_id}).json()
    assert [entry["action"] for entry in mine] == ["form.create", "user.session.create"]
    assert all(entry["actorId"] == actor_id for entry in mine)


def test_filter_by_time(admin):
    upload(admin, xform(form_id="timed"))
    now = datetime.now(UTC)
    later = (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "form.create" in _actions(admin, start=earlier)
    assert _actions(admin, start=later) == []
    assert _actions(admin, end=earlier) == []
    assert "form.create" in _actions(admin, start=earlier, end=later)


def test_bad_time_filter(admin):
    response = admin.get("/v1/audits", params={"start": "yesterday"})
    assert response.status_code == 400
    assert "yesterday" in response.json()["message"]


def test_failed_login_not_audited_as_session(server, admin):
    with server.client() as client:
        client.post("/v1/sessions", json={"email": ADMIN_EMAIL, "password": "wrong one"})
    sessions = admin.get("/v1/audits", params={"action": "user.session.create"}).json()
    assert len(sessions) == 1
    log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert (
        len(admin.get("/v1/audits", params={"action": "user.session.create"}).json()) == 2
    )
