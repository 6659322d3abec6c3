"""Role assignments that would widen an app user's reach or leave no administrator."""

from tests.conftest import ADMIN_EMAIL, make_user


def _app_user(admin, project_id: int = 1) -> tuple[int, str]:
    created = admin.post(
        f"/v1/projects/{project_id}/app-users", json={"displayName": "tablet"}
    )
    assert created.status_code == 200, created.text
    return created.json()["id"], created.json()["token"]


def test_app_user_role_on_other_project(server, admin):
    actor_id, token = _app_user(admin)
    other = admin.post("/v1/projects", json={"name": "Project three"}).json()["id"]
    manager = make_user(admin, server, "m3@kazi.test", "manager", project_id=other)

    response = manager.post(f"/v1/projects/{other}/assignments/app-user/{actor_id}")
    assert response.status_code == 404, response.text
    assert "app user" in response.json()["message"]
    by_admin = admin.post(f"/v1/projects/{other}/assignments/app-user/{actor_id}")
    assert by_admin.status_code == 404, by_admin.text

    assigned = admin.get(f"/v1/projects/{other}/assignments").json()
    assert all(row["actorId"] != actor_id for row in assigned)
    with server.client() as client:
        reached = client.get(
            f"/v1/key/{token}/projects/{other}/formList",
            headers={"X-OpenRosa-Version": "1.0"},
        )
        assert reached.status_code in (401, 403, 404), reached.text
        project = client.get(f"/v1/key/{token}/v1/projects/{other}")
        assert project.status_code in (401, 403, 404), project.text


def test_app_user_form_role_on_other_project(server, admin):
    from tests.forms_api.helpers import publish_xform

    actor_id, _ = _app_user(admin)
    other = admin.post("/v1/projects", json={"name": "Project three"}).json()["id"]
    publish_xform(admin, project_id=other)
    response = admin.post(
        f"/v1/projects/{other}/forms/simple/assignments/app-user/{actor_id}"
    )
    assert response.status_code == 404, response.text
    assert "app user" in response.json()["message"]


def test_app_user_site_role_rejected(admin):
    actor_id, _ = _app_user(admin)
    response = admin.post(f"/v1/assignments/admin/{actor_id}")
    assert response.status_code == 404, response.text


def test_app_user_own_project_still_works(server, admin):
    from tests.forms_api.helpers import publish_xform

    actor_id, _ = _app_user(admin)
    publish_xform(admin)
    response = admin.post(f"/v1/projects/1/forms/simple/assignments/app-user/{actor_id}")
    assert response.status_code == 200, response.text


def _admin_id(admin) -> int:
    return admin.get("/v1/users/current").json()["id"]


def test_last_admin_cannot_delete_itself(admin):
    me = _admin_id(admin)
    response = admin.delete(f"/v1/users/{me}")
    assert response.status_code == 409, response.text
    assert "Promote another administrator first" in response.json()["message"]
    assert admin.get("/v1/users/current").status_code == 200


def test_last_admin_keeps_admin_role(admin):
    me = _admin_id(admin)
    response = admin.delete(f"/v1/assignments/admin/{me}")
    assert response.status_code == 409, response.text
    assert "Promote another administrator first" in response.json()["message"]
    assert [row["actorId"] for row in admin.get("/v1/assignments/admin").json()] == [me]


def test_admin_removable_once_another_exists(server, admin):
    me = _admin_id(admin)
    second = make_user(admin, server, "second@kazi.test")
    second_id = second.get("/v1/users/current").json()["id"]
    assert admin.post(f"/v1/assignments/admin/{second_id}").status_code == 200
    response = admin.delete(f"/v1/assignments/admin/{me}")
    assert response.status_code == 200, response.text
    deleted = second.delete(f"/v1/users/{me}")
    assert deleted.status_code == 200, deleted.text
    last = second.delete(f"/v1/users/{second_id}")
    assert last.status_code == 409, last.text
    assert ADMIN_EMAIL not in [u["email"] for u in second.get("/v1/users").json()]
