"""Web users, projects, roles and role assignments over the REST API."""

from tests.conftest import ADMIN_EMAIL, log_in, make_user


def test_admin_creates_and_lists_users(admin):
    created = admin.post(
        "/v1/users", json={"email": " New.User@Kazi.test ", "password": "long enough pw"}
    )
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["email"] == "new.user@kazi.test"
    assert body["type"] == "user"
    listed = admin.get("/v1/users")
    assert listed.status_code == 200
    assert [u["email"] for u in listed.json()] == [ADMIN_EMAIL, "new.user@kazi.test"]
    found = admin.get("/v1/users", params={"q": "new.user"})
    assert [u["email"] for u in found.json()] == ["new.user@kazi.test"]


def test_user_create_rejects_bad_email(admin):
    response = admin.post(
        "/v1/users", json={"email": "not-an-address", "password": "x" * 12}
    )
    assert response.status_code == 400
    assert "not-an-address" in response.json()["message"]


def test_user_create_rejects_short_password(admin):
    response = admin.post(
        "/v1/users", json={"email": "short@kazi.test", "password": "short"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == 400.21
    assert len(admin.get("/v1/users").json()) == 1


def test_user_create_rejects_duplicate_email(admin):
    assert admin.post("/v1/users", json={"email": "dup@kazi.test"}).status_code == 200
    again = admin.post("/v1/users", json={"email": "DUP@kazi.test"})
    assert again.status_code == 409
    assert again.json()["code"] == 409.3


def test_non_admin_cannot_manage_users(server, admin):
    manager = make_user(admin, server, "manager@kazi.test", "manager")
    with manager:
        listed = manager.get("/v1/users")
        assert listed.status_code == 200
        assert listed.json() == []
        created = manager.post("/v1/users", json={"email": "x@kazi.test"})
        assert created.status_code == 403
    assert len(admin.get("/v1/users").json()) == 2


def test_project_create_get_rename_archive(admin):
    created = admin.post("/v1/projects", json={"name": "Kenya pilot"})
    assert created.status_code == 200, created.text
    project = created.json()
    assert project["name"] == "Kenya pilot"
    assert project["archived"] is False
    project_id = project["id"]

    fetched = admin.get(f"/v1/projects/{project_id}")
    assert fetched.status_code == 200
    assert fetched.json()["name"] == "Kenya pilot"

    renamed = admin.patch(f"/v1/projects/{project_id}", json={"name": "Kenya wave 2"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Kenya wave 2"
    assert renamed.json()["updatedAt"] is not None

    archived = admin.patch(f"/v1/projects/{project_id}", json={"archived": True})
    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    listed = {p["id"]: p for p in admin.get("/v1/projects").json()}
    assert listed[project_id]["archived"] is True
    assert listed[project_id]["name"] == "Kenya wave 2"


def test_project_patch_rejects_bad_values(admin):
    empty = admin.patch("/v1/projects/1", json={"name": "  "})
    assert empty.status_code == 400
    not_bool = admin.patch("/v1/projects/1", json={"archived": "yes"})
    assert not_bool.status_code == 400
    assert "archived" in not_bool.json()["message"]
    unknown = admin.patch("/v1/projects/1", json={"id": 7})
    assert unknown.status_code == 400
    assert admin.get("/v1/projects/1").json()["name"] == "Tanzania pilot"


def test_project_create_rejects_empty_name(admin):
    response = admin.post("/v1/projects", json={"name": ""})
    assert response.status_code == 400
    assert len(admin.get("/v1/projects").json()) == 1


def test_unknown_project_is_404(admin):
    assert admin.get("/v1/projects/999").status_code == 404
    assert admin.get("/v1/projects/not-a-number").status_code == 404


def test_roles_listed_with_verbs(admin):
    response = admin.get("/v1/roles")
    assert response.status_code == 200
    roles = {role["system"]: role for role in response.json()}
    assert set(roles) == {
        "admin",
        "app-user",
        "manager",
        "viewer",
        "formfill",
        "datamanager",
    }
    assert roles["app-user"]["id"] == 2
    assert "form.create" in roles["manager"]["verbs"]
    assert "form.create" not in roles["viewer"]["verbs"]
    assert admin.get("/v1/roles/manager").json()["id"] == 3
    assert admin.get("/v1/roles/3").json()["system"] == "manager"


def test_project_role_assignment_lifecycle(server, admin):
    created = admin.post(
        "/v1/users", json={"email": "viewer@kazi.test", "password": "x" * 12}
    )
    actor_id = created.json()["id"]

    assigned = admin.post(f"/v1/projects/1/assignments/viewer/{actor_id}")
    assert assigned.status_code == 200, assigned.text
    listed = admin.get("/v1/projects/1/assignments").json()
    assert {"actorId": actor_id, "roleId": 4} in listed
    by_role = admin.get("/v1/projects/1/assignments/viewer").json()
    assert by_role == [{"actorId": actor_id, "roleId": 4}]

    again = admin.post(f"/v1/projects/1/assignments/4/{actor_id}")
    assert again.status_code == 409

    with server.client(log_in(server, "viewer@kazi.test", "x" * 12)) as viewer:
        assert viewer.get("/v1/projects/1").status_code == 200
        assert [p["id"] for p in viewer.get("/v1/projects").json()] == [1]
        removed = admin.delete(f"/v1/projects/1/assignments/viewer/{actor_id}")
        assert removed.status_code == 200
        assert viewer.get("/v1/projects/1").status_code == 404
        assert viewer.get("/v1/projects").json() == []
    assert admin.get("/v1/projects/1/assignments/viewer").json() == []
    gone = admin.delete(f"/v1/projects/1/assignments/viewer/{actor_id}")
    assert gone.status_code == 404


def test_assignment_rejects_admin_role_on_project(admin):
    created = admin.post("/v1/users", json={"email": "u@kazi.test"})
    response = admin.post(f"/v1/projects/1/assignments/admin/{created.json()['id']}")
    assert response.status_code == 400
    assert admin.get("/v1/projects/1/assignments").json() == []


def test_assignment_unknown_role_or_actor(admin):
    assert admin.post("/v1/projects/1/assignments/boss/1").status_code == 404
    assert admin.post("/v1/projects/1/assignments/viewer/999").status_code == 404


def test_manager_cannot_grant_more_than_held(server, admin):
    manager = make_user(admin, server, "manager@kazi.test", "manager")
    target = admin.post("/v1/users", json={"email": "t@kazi.test"}).json()["id"]
    with manager:
        viewer = manager.post(f"/v1/projects/1/assignments/viewer/{target}")
        assert viewer.status_code == 200, viewer.text
        site = manager.post(f"/v1/assignments/admin/{target}")
        assert site.status_code == 403
    assert admin.get("/v1/assignments/admin").json() == [{"actorId": 1, "roleId": 1}]


def test_site_admin_assignment(admin, server):
    target = admin.post("/v1/users", json={"email": "t@kazi.test", "password": "x" * 12})
    actor_id = target.json()["id"]
    assert admin.post(f"/v1/assignments/admin/{actor_id}").status_code == 200
    with server.client(log_in(server, "t@kazi.test", "x" * 12)) as promoted:
        assert len(promoted.get("/v1/users").json()) == 2
        assert admin.delete(f"/v1/assignments/admin/{actor_id}").status_code == 200
        demoted = promoted.get("/v1/users")
        assert demoted.status_code == 200
        assert demoted.json() == []


def test_deleted_user_cannot_log_in(server, admin):
    created = admin.post(
        "/v1/users", json={"email": "gone@kazi.test", "password": "x" * 12}
    )
    actor_id = created.json()["id"]
    token = log_in(server, "gone@kazi.test", "x" * 12)
    assert admin.delete(f"/v1/users/{actor_id}").status_code == 200
    with server.client(token) as client:
        assert client.get("/v1/users/current").status_code == 401
        login = client.post(
            "/v1/sessions", json={"email": "gone@kazi.test", "password": "x" * 12}
        )
    assert login.status_code == 401
    assert admin.get(f"/v1/users/{actor_id}").status_code == 404
