"""The permission table, checked over HTTP for every role against the main routes."""

import httpx
import pytest

from tests.conftest import make_user
from tests.forms_api.helpers import publish_xform, upload, xform

ROLES = ["admin", "manager", "datamanager", "viewer", "formfill", "app user", "anonymous"]
WEB = {"admin", "manager", "datamanager", "viewer", "formfill"}
ADMIN = {"admin"}
MANAGE = {"admin", "manager"}
PROJECT_READERS = {"admin", "manager", "datamanager", "viewer", "formfill"}
FORM_READERS = PROJECT_READERS | {"app user"}


def _cases(tag: str) -> list[tuple[str, str, dict, set[str]]]:
    """(method, path, request options, roles allowed), reads first, deletions last.

    ``tag`` makes created names unique per role, so an allowed create never collides.
    """
    draft = xform(form_id="simple", version=f"draft-{tag}")
    form = "/v1/projects/1/forms/simple"
    return [
        ("GET", "/v1/projects", {}, WEB | {"app user"}),
        ("GET", "/v1/projects/1", {}, PROJECT_READERS),
        ("GET", "/v1/projects/1/forms", {}, PROJECT_READERS),
        ("GET", form, {}, FORM_READERS),
        ("GET", form + ".xml", {}, FORM_READERS),
        ("GET", form + "/versions", {}, FORM_READERS),
        ("GET", form + "/attachments", {}, FORM_READERS),
        ("GET", "/v1/projects/1/assignments", {}, MANAGE),
        ("GET", form + "/assignments", {}, MANAGE),
        ("GET", "/v1/projects/1/app-users", {}, MANAGE),
        ("GET", "/v1/users", {}, WEB | {"app user"}),
        ("GET", "/v1/users/current", {}, WEB),
        ("GET", "/v1/users/1", {}, ADMIN),
        ("GET", "/v1/roles", {}, WEB | {"app user"}),
        ("GET", "/v1/assignments", {}, ADMIN),
        ("GET", "/v1/audits", {}, ADMIN),
        ("GET", "/v1/projects/1/audits", {}, MANAGE),
        ("POST", "/v1/projects", {"json": {"name": f"Project {tag}"}}, ADMIN),
        ("PATCH", "/v1/projects/1", {"json": {"description": tag}}, MANAGE),
        ("POST", "/v1/users", {"json": {"email": f"new-{tag}@kazi.test"}}, ADMIN),
        (
            "POST",
            "/v1/projects/1/forms",
            {
                "content": xform(form_id=f"form_{tag}"),
                "headers": {"Content-Type": "application/xml"},
            },
            MANAGE,
        ),
        ("PATCH", form, {"json": {"state": "open"}}, MANAGE),
        (
            "POST",
            form + "/draft",
            {"content": draft, "headers": {"Content-Type": "application/xml"}},
            MANAGE,
        ),
        ("GET", form + "/draft", {}, MANAGE),
        ("GET", form + "/draft.xml", {}, MANAGE),
        ("GET", form + "/draft/attachments", {}, MANAGE),
        ("POST", form + "/draft/publish", {}, MANAGE),
        ("DELETE", "/v1/projects/1/forms/doomed", {}, MANAGE),
    ]


@pytest.fixture
def clients(server, admin) -> dict[str, httpx.Client]:
    publish_xform(admin, form_id="simple")
    publish_xform(admin, form_id="doomed")
    draft = upload(admin, xform(form_id="simple", version="draft"), path="/simple/draft")
    assert draft.status_code == 200, draft.text
    made = {"admin": admin, "anonymous": server.client()}
    for role in ("manager", "datamanager", "viewer", "formfill"):
        made[role] = make_user(admin, server, f"{role}@kazi.test", role)
    app_user = admin.post("/v1/projects/1/app-users", json={"displayName": "Tablet 1"})
    assert app_user.status_code == 200, app_user.text
    body = app_user.json()
    assigned = admin.post(
        f"/v1/projects/1/forms/simple/assignments/app-user/{body['id']}"
    )
    assert assigned.status_code == 200, assigned.text
    made["app user"] = server.client(body["token"])
    yield made
    for name, client in made.items():
        if name != "admin":
            client.close()


@pytest.mark.parametrize("role", ROLES)
def test_role_permissions(role, clients, admin):
    client = clients[role]
    tag = role.replace(" ", "_")
    wrong = []
    for method, path, options, allowed in _cases(tag):
        response = client.request(method, path, **options)
        expected = role in allowed
        if expected and response.status_code != 200:
            wrong.append(f"{method} {path}: expected 200, got {response.status_code}")
        if not expected:
            denied = {401} if role == "anonymous" else {403, 404}
            if response.status_code not in denied:
                got = response.status_code
                wrong.append(f"{method} {path}: expected {sorted(denied)}, got {got}")
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)

    forms = {f["xmlFormId"] for f in admin.get("/v1/projects/1/forms").json()}
    may_manage = role in MANAGE
    assert ("doomed" in forms) is not may_manage
    assert (f"form_{tag}" in forms) is may_manage
