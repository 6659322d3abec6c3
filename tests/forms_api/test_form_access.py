"""Who may read drafts and closed forms, following ODK Central's canReadForm.

A draft (including a form never published) needs form.update. A closed form needs
form.read, which Central gives viewers and managers but not data collectors or app
users, because they have open_form.read instead.
"""

import httpx
import pytest

from tests.conftest import make_user
from tests.forms_api.helpers import publish_xform, upload, xform

FORMS = "/v1/projects/1/forms"
READ_ONLY_ROLES = ["viewer", "formfill", "datamanager"]
CSV = "lists.csv"


def _xform_with_csv(form_id: str, version: str) -> str:
    return xform(form_id=form_id, version=version).replace(
        "</instance>", f'</instance><instance id="lists" src="jr://file-csv/{CSV}"/>', 1
    )


@pytest.fixture
def forms(admin):
    """Create 'published', with a draft and a draft file, and draft-only 'unpublished'."""
    created = upload(admin, _xform_with_csv("published", "1"), params={"publish": "true"})
    assert created.status_code == 200, created.text
    draft = upload(admin, _xform_with_csv("published", "2"), path="/published/draft")
    assert draft.status_code == 200, draft.text
    stored = admin.post(f"{FORMS}/published/draft/attachments/{CSV}", content=b"a,b\n")
    assert stored.status_code == 200, stored.text
    assert upload(admin, xform(form_id="unpublished")).status_code == 200


@pytest.fixture
def app_user(server, admin) -> httpx.Client:
    """An app user assigned to the form 'published'."""
    created = admin.post("/v1/projects/1/app-users", json={"displayName": "Tablet"})
    assert created.status_code == 200, created.text
    body = created.json()
    assigned = admin.post(f"{FORMS}/published/assignments/app-user/{body['id']}")
    assert assigned.status_code == 200, assigned.text
    with server.client(body["token"]) as client:
        yield client


def _draft_paths(form_id: str) -> list[str]:
    base = f"{FORMS}/{form_id}/draft"
    return [base, base + ".xml", base + "/attachments", f"{base}/attachments/{CSV}"]


@pytest.mark.usefixtures("forms")
@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_draft_reads_need_form_update(server, admin, role):
    with make_user(admin, server, f"{role}@kazi.test", role) as client:
        for path in _draft_paths("published") + _draft_paths("unpublished")[:3]:
            response = client.get(path)
            assert response.status_code == 403, path
            assert response.json()["code"] == 403.1, path


@pytest.mark.usefixtures("forms")
def test_manager_reads_drafts(server, admin):
    with make_user(admin, server, "manager@kazi.test", "manager") as manager:
        for path in _draft_paths("published") + _draft_paths("unpublished")[:3]:
            assert manager.get(path).status_code == 200, path
        draft = manager.get(f"{FORMS}/unpublished/draft").json()
        assert draft["draftToken"]


@pytest.mark.usefixtures("forms")
@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_unpublished_form_hidden(server, admin, role):
    with make_user(admin, server, f"{role}@kazi.test", role) as client:
        listed = client.get(FORMS)
        assert listed.status_code == 200, listed.text
        assert [f["xmlFormId"] for f in listed.json()] == ["published"]
        assert [f["draftToken"] for f in listed.json()] == [None]
        for suffix in ("", ".xml", "/versions", "/attachments"):
            response = client.get(f"{FORMS}/unpublished{suffix}")
            assert response.status_code == 403, suffix


@pytest.mark.usefixtures("forms")
def test_manager_lists_unpublished_form(server, admin):
    with make_user(admin, server, "manager@kazi.test", "manager") as manager:
        listed = {f["xmlFormId"]: f for f in manager.get(FORMS).json()}
        assert sorted(listed) == ["published", "unpublished"]
        assert listed["unpublished"]["draftToken"]
        assert listed["unpublished"]["publishedAt"] is None
        assert listed["published"]["draftToken"] is None
        assert manager.get(f"{FORMS}/unpublished").json()["draftToken"]


CLOSED_PATHS = [
    "",
    ".xml",
    "/attachments",
    "/versions",
    "/versions/1",
    "/versions/1.xml",
    "/versions/1/attachments",
]


@pytest.mark.usefixtures("forms")
def test_closed_form_hidden_from_formfill(server, admin, app_user):
    assert admin.patch(f"{FORMS}/published", json={"state": "closed"}).status_code == 200
    with make_user(admin, server, "formfill@kazi.test", "formfill") as formfill:
        for client, label in ((formfill, "formfill"), (app_user, "app user")):
            for suffix in CLOSED_PATHS:
                response = client.get(f"{FORMS}/published{suffix}")
                assert response.status_code == 403, f"{label} {suffix}"
        assert formfill.get(FORMS).json() == []


@pytest.mark.usefixtures("forms")
@pytest.mark.parametrize("role", ["viewer", "datamanager", "manager"])
def test_closed_form_readable_with_form_read(server, admin, role):
    assert admin.patch(f"{FORMS}/published", json={"state": "closed"}).status_code == 200
    with make_user(admin, server, f"{role}@kazi.test", role) as client:
        for suffix in CLOSED_PATHS:
            response = client.get(f"{FORMS}/published{suffix}")
            assert response.status_code == 200, suffix
        assert "published" in [f["xmlFormId"] for f in client.get(FORMS).json()]


@pytest.mark.usefixtures("forms")
def test_closing_form_readable_by_formfill(server, admin, app_user):
    assert admin.patch(f"{FORMS}/published", json={"state": "closing"}).status_code == 200
    with make_user(admin, server, "formfill@kazi.test", "formfill") as formfill:
        for client, label in ((formfill, "formfill"), (app_user, "app user")):
            for suffix in CLOSED_PATHS:
                response = client.get(f"{FORMS}/published{suffix}")
                assert response.status_code == 200, f"{label} {suffix}"
        assert [f["xmlFormId"] for f in formfill.get(FORMS).json()] == ["published"]


def test_formfill_with_viewer_role_reads_closed(server, admin):
    publish_xform(admin, form_id="both")
    assert admin.patch(f"{FORMS}/both", json={"state": "closed"}).status_code == 200
    with make_user(admin, server, "both@kazi.test", "formfill") as client:
        actor_id = client.get("/v1/users/current").json()["id"]
        granted = admin.post(f"/v1/projects/1/assignments/viewer/{actor_id}")
        assert granted.status_code == 200, granted.text
        assert client.get(f"{FORMS}/both.xml").status_code == 200
