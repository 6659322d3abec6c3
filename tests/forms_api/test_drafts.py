"""Drafts, draft attachments and publishing with a version, on ODK Central's paths."""

import hashlib

from tests.forms_api.helpers import FORMS, snapshot, upload, xform

PULL_DATA = FORMS / "pyxform__pull_data.xlsx"
FRUITS = (FORMS / "pyxform__pull_data.media" / "fruits.csv").read_bytes()
FORM = "/v1/projects/1/forms/pull_data"


def _create_pull_data(admin):
    response = upload(
        admin, PULL_DATA, headers={"X-XlsForm-FormId-Fallback": "pull_data"}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_draft_attachment_lifecycle(admin):
    _create_pull_data(admin)
    listed = admin.get(FORM + "/draft/attachments")
    assert listed.status_code == 200
    assert listed.json() == [
        {
            "name": "fruits.csv",
            "type": "file",
            "hash": None,
            "exists": False,
            "blobExists": False,
            "datasetExists": False,
            "updatedAt": None,
        }
    ]
    assert admin.get(FORM + "/draft/attachments/fruits.csv").status_code == 404

    stored = admin.post(
        FORM + "/draft/attachments/fruits.csv",
        content=FRUITS,
        headers={"Content-Type": "text/csv"},
    )
    assert stored.status_code == 200, stored.text
    assert stored.json()["exists"] is True
    assert stored.json()["hash"] == hashlib.md5(FRUITS).hexdigest()  # noqa: S324
    assert stored.json()["size"] == len(FRUITS)

    downloaded = admin.get(FORM + "/draft/attachments/fruits.csv")
    assert downloaded.status_code == 200
    assert downloaded.content == FRUITS
    assert downloaded.headers["content-type"].startswith("text/csv")
    assert admin.get(FORM + "/draft/attachments").json()[0]["exists"] is True

    cleared = admin.delete(FORM + "/draft/attachments/fruits.csv")
    assert cleared.status_code == 200
    after = admin.get(FORM + "/draft/attachments").json()
    assert [(a["name"], a["exists"]) for a in after] == [("fruits.csv", False)]
    assert admin.get(FORM + "/draft/attachments/fruits.csv").status_code == 404


def test_unexpected_attachment_name_rejected(server, admin):
    _create_pull_data(admin)
    before = snapshot(server)
    response = admin.post(FORM + "/draft/attachments/other.csv", content=b"a,b\n")
    assert response.status_code == 404
    assert "other.csv" in response.json()["message"]
    assert snapshot(server) == before


def test_publish_carries_attachment(admin):
    _create_pull_data(admin)
    admin.post(FORM + "/draft/attachments/fruits.csv", content=FRUITS)
    published = admin.post(FORM + "/draft/publish")
    assert published.status_code == 200, published.text
    listed = admin.get(FORM + "/attachments").json()
    assert [(a["name"], a["exists"]) for a in listed] == [("fruits.csv", True)]
    assert admin.get(FORM + "/attachments/fruits.csv").content == FRUITS
    assert admin.get(FORM + "/draft").status_code == 404


def test_new_draft_keeps_uploaded_attachment(admin):
    _create_pull_data(admin)
    admin.post(FORM + "/draft/attachments/fruits.csv", content=FRUITS)
    admin.post(FORM + "/draft/publish", params={"version": "v1"})
    assert admin.post(FORM + "/draft").status_code == 200
    draft_files = admin.get(FORM + "/draft/attachments").json()
    assert [(a["name"], a["exists"]) for a in draft_files] == [("fruits.csv", True)]
    assert (
        admin.post(FORM + "/draft/publish", params={"version": "v2"}).status_code == 200
    )
    assert admin.get(FORM + "/versions/v1/attachments/fruits.csv").content == FRUITS
    assert admin.get(FORM + "/versions/v2/attachments/fruits.csv").content == FRUITS


def test_publish_with_version_rewrites_xml(admin):
    created = _create_pull_data(admin)
    published = admin.post(FORM + "/draft/publish", params={"version": "2026-12-04"})
    assert published.status_code == 200, published.text
    served = admin.get(FORM + ".xml")
    assert 'version="2026-12-04"' in served.text
    form = admin.get(FORM).json()
    assert form["version"] == "2026-12-04"
    assert form["hash"] == hashlib.md5(served.content).hexdigest()  # noqa: S324
    assert form["sha256"] == hashlib.sha256(served.content).hexdigest()
    assert form["hash"] != created["hash"]
    assert served.headers["etag"] == f'"{form["hash"]}"'


def test_used_version_conflicts_and_changes_nothing(server, admin):
    upload(admin, xform(form_id="simple", version="1"), params={"publish": "true"})
    form = "/v1/projects/1/forms/simple"
    assert (
        upload(
            admin, xform(form_id="simple", version="2"), path="/simple/draft"
        ).status_code
        == 200
    )
    assert admin.post(form + "/draft/publish").status_code == 200
    assert (
        upload(
            admin, xform(form_id="simple", version="3"), path="/simple/draft"
        ).status_code
        == 200
    )
    xml_before = admin.get(form + ".xml").content
    versions_before = admin.get(form + "/versions").json()
    before = snapshot(server)
    conflict = admin.post(form + "/draft/publish", params={"version": "1"})
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["code"] == 409.6
    assert "'1'" in body["message"]
    assert snapshot(server) == before
    assert admin.get(form + ".xml").content == xml_before
    assert admin.get(form + "/versions").json() == versions_before
    assert admin.get(form + "/draft").json()["version"] == "3"

    same = upload(admin, xform(form_id="simple", version="2"), path="/simple/draft")
    assert same.status_code == 200
    assert admin.post(form + "/draft/publish").status_code == 409
    assert admin.get(form + ".xml").content == xml_before


def test_replace_draft_must_keep_form_id(server, admin):
    upload(admin, xform(form_id="keep"), params={"publish": "true"})
    before = snapshot(server)
    response = upload(admin, xform(form_id="other"), path="/keep/draft")
    assert response.status_code == 400
    assert "other" in response.json()["message"]
    assert "keep" in response.json()["message"]
    assert snapshot(server) == before


def test_replace_and_delete_draft(admin):
    upload(admin, xform(form_id="drafty", version="1"), params={"publish": "true"})
    form = "/v1/projects/1/forms/drafty"
    assert (
        upload(
            admin, xform(form_id="drafty", version="2"), path="/drafty/draft"
        ).status_code
        == 200
    )
    assert admin.get(form + "/draft").json()["version"] == "2"
    assert (
        upload(
            admin, xform(form_id="drafty", version="3"), path="/drafty/draft"
        ).status_code
        == 200
    )
    assert admin.get(form + "/draft").json()["version"] == "3"
    assert 'version="3"' in admin.get(form + "/draft.xml").text
    assert admin.delete(form + "/draft").status_code == 200
    assert admin.get(form + "/draft").status_code == 404
    assert admin.get(form).json()["version"] == "1"
    assert [v["version"] for v in admin.get(form + "/versions").json()] == ["1"]


def test_unpublished_draft_cannot_be_deleted(admin):
    upload(admin, xform(form_id="fresh"))
    response = admin.delete("/v1/projects/1/forms/fresh/draft")
    assert response.status_code == 409
    assert response.json()["code"] == 409.7
    assert admin.get("/v1/projects/1/forms/fresh/draft").status_code == 200


def test_version_with_markup_characters_served_escaped(admin):
    version = "1 & 2 \"beta\" 'x' <3>"
    upload(admin, xform(form_id="escaped", version="1"), params={"publish": "true"})
    form = "/v1/projects/1/forms/escaped"
    admin.post(form + "/draft")
    published = admin.post(form + "/draft/publish", params={"version": version})
    assert published.status_code == 200, published.text
    assert admin.get(form).json()["version"] == version
    served = admin.get(form + ".xml").text
    assert "version=\"1 &amp; 2 &quot;beta&quot; 'x' &lt;3&gt;\"" in served
    assert admin.get(form + "/versions").json()[0]["version"] == version
