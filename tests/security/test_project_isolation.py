"""No one with roles only on project A can read or change project B through any route."""

import re

import httpx
import pytest

from tests.conftest import make_user
from tests.forms_api.helpers import FORMS, snapshot, upload
from tests.security.test_route_rules import api_routes

PARAM = re.compile(r"{([a-z_]+)(?::[a-z]+)?}")


def _project_b(admin: httpx.Client) -> dict[str, str]:
    """Create project B with a published form, an attachment, a draft and an app user."""
    project = admin.post("/v1/projects", json={"name": "Project B"}).json()
    pid = project["id"]
    created = upload(
        admin,
        FORMS / "pyxform__pull_data.xlsx",
        pid,
        headers={"X-XlsForm-FormId-Fallback": "pull_data"},
    )
    assert created.status_code == 200, created.text
    form_id = created.json()["xmlFormId"]
    csv = (FORMS / "pyxform__pull_data.media" / "fruits.csv").read_bytes()
    base = f"/v1/projects/{pid}/forms/{form_id}"
    stored = admin.post(base + "/draft/attachments/fruits.csv", content=csv)
    assert stored.status_code == 200, stored.text
    published = admin.post(base + "/draft/publish", params={"version": "b1"})
    assert published.status_code == 200, published.text
    assert admin.post(base + "/draft").status_code == 200
    app_user = admin.post(
        f"/v1/projects/{pid}/app-users", json={"displayName": "B tablet"}
    )
    actor_id = app_user.json()["id"]
    assigned = admin.post(f"{base}/assignments/app-user/{actor_id}")
    assert assigned.status_code == 200, assigned.text
    return {
        "project_id": str(pid),
        "xml_form_id": form_id,
        "version": "b1",
        "name": "fruits.csv",
        "actor_id": str(actor_id),
        "role_ref": "app-user",
        # No submission exists in B; the routes must still refuse before looking.
        "instance_id": "uuid:b-instance",
        "version_id": "uuid:b-instance",
    }


def _project_a_clients(server, admin) -> dict[str, httpx.Client]:
    clients = {}
    for role in ("manager", "viewer", "datamanager", "formfill"):
        clients[role] = make_user(
            admin, server, f"a-{role}@kazi.test", role, project_id=1
        )
    app_user = admin.post("/v1/projects/1/app-users", json={"displayName": "A tablet"})
    clients["app user"] = server.client(app_user.json()["token"])
    return clients


def _requests(live_app, values: dict[str, str]):
    for route in api_routes(live_app):
        if "{project_id}" not in route.path:
            continue
        path = PARAM.sub(lambda m: values[m.group(1)], route.path)
        for method in sorted(route.methods & {"GET", "POST", "PATCH", "DELETE"}):
            yield method, path


@pytest.mark.parametrize(
    "role", ["manager", "viewer", "datamanager", "formfill", "app user"]
)
def test_project_a_cannot_touch_project_b(role, server, admin):
    values = _project_b(admin)
    client = _project_a_clients(server, admin)[role]
    before = snapshot(server)
    b_forms = admin.get(f"/v1/projects/{values['project_id']}/forms").json()
    b_xml = admin.get(
        f"/v1/projects/{values['project_id']}/forms/{values['xml_form_id']}.xml"
    ).content

    leaks = []
    headers = {"X-OpenRosa-Version": "1.0"}
    for method, path in _requests(server.app, values):
        body = {"json": {"name": "taken"}} if method in ("POST", "PATCH") else {}
        response = client.request(method, path, headers=headers, **body)
        if response.status_code not in (401, 403, 404):
            leaks.append(f"{method} {path} -> {response.status_code}")
    assert leaks == [], "\n".join(leaks)

    after = snapshot(server)
    assert after == before
    assert admin.get(f"/v1/projects/{values['project_id']}/forms").json() == b_forms
    assert (
        admin.get(
            f"/v1/projects/{values['project_id']}/forms/{values['xml_form_id']}.xml"
        ).content
        == b_xml
    )


def test_isolation_covers_project_routes(server):
    """The loop above must see the form, attachment and app-user routes."""
    paths = {
        path
        for _, path in _requests(
            server.app,
            dict.fromkeys(
                (
                    "project_id",
                    "xml_form_id",
                    "version",
                    "name",
                    "actor_id",
                    "role_ref",
                    "token",
                    "instance_id",
                    "version_id",
                ),
                "x",
            ),
        )
    }
    assert "/v1/projects/x/forms/x/draft/attachments/x" in paths
    assert "/v1/projects/x/app-users/x" in paths
    assert "/v1/projects/x" in paths
    assert "/v1/projects/x/forms/x/submissions/x/attachments/x" in paths
