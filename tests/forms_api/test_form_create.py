"""Creating forms from XLSForms and XForms, downloads, warnings, states and versions."""

import hashlib

import pytest

from tests.forms_api.helpers import FORMS, XLS, XLSX, snapshot, upload, xform

FALLBACK = "X-XlsForm-FormId-Fallback"


def test_create_from_xlsx_as_draft(admin):
    response = upload(
        admin, FORMS / "onadata__nested_repeats.xlsx", params={"ignoreWarnings": "true"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["xmlFormId"] == "nested_repeats"
    assert body["version"] == "201211121234"
    assert body["publishedAt"] is None
    assert body["draftToken"]
    assert body["warnings"]
    draft = admin.get("/v1/projects/1/forms/nested_repeats/draft.xml")
    assert draft.status_code == 200
    assert hashlib.md5(draft.content).hexdigest() == body["hash"]  # noqa: S324
    assert admin.get("/v1/projects/1/forms/nested_repeats.xml").status_code == 404


def test_create_from_xls_publishes(admin):
    response = upload(
        admin,
        FORMS / "pyxform__widgets.xls",
        params={"publish": "true", "ignoreWarnings": "true"},
        headers={FALLBACK: "widgets"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["xmlFormId"] == "widgets"
    assert body["publishedAt"] is not None
    assert body["draftToken"] is None
    listed = admin.get("/v1/projects/1/forms").json()
    assert [f["xmlFormId"] for f in listed] == ["widgets"]


def test_create_from_xform_xml(admin):
    source = (FORMS / "centralbackend__simpleEntity.xml").read_bytes()
    response = upload(
        admin, source, content_type="application/xml", params={"publish": "true"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["xmlFormId"] == "simpleEntity"
    served = admin.get("/v1/projects/1/forms/simpleEntity.xml")
    assert served.status_code == 200
    assert served.content == source
    assert served.headers["etag"] == f'"{hashlib.md5(source).hexdigest()}"'  # noqa: S324


def test_xform_detected_without_content_type(admin):
    response = upload(admin, xform(form_id="sniffed"), content_type="text/plain")
    assert response.status_code == 200, response.text
    assert response.json()["xmlFormId"] == "sniffed"


@pytest.mark.parametrize(
    ("name", "media", "suffix"),
    [("onadata__tutorial.xlsx", XLSX, ".xlsx"), ("pyxform__widgets.xls", XLS, ".xls")],
)
def test_original_spreadsheet_downloads_unchanged(admin, name, media, suffix):
    original = (FORMS / name).read_bytes()
    response = upload(
        admin,
        original,
        content_type=media,
        params={"publish": "true", "ignoreWarnings": "true"},
        headers={FALLBACK: "original"},
    )
    assert response.status_code == 200, response.text
    downloaded = admin.get(f"/v1/projects/1/forms/original{suffix}")
    assert downloaded.status_code == 200
    assert downloaded.content == original
    assert downloaded.headers["content-type"].startswith(media)
    assert f"original{suffix}" in downloaded.headers["content-disposition"]


def test_xml_download_supports_if_none_match(admin):
    upload(admin, xform(form_id="cached"), params={"publish": "true"})
    first = admin.get("/v1/projects/1/forms/cached.xml")
    again = admin.get(
        "/v1/projects/1/forms/cached.xml",
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304
    assert again.content == b""


def test_warnings_block_unless_ignored(server, admin):
    before = snapshot(server)
    blocked = upload(admin, FORMS / "onadata__nested_repeats.xlsx")
    assert blocked.status_code == 400
    body = blocked.json()
    assert body["code"] == 400.16
    assert list(body["details"]["warnings"]) == ["xlsFormWarnings"]
    warnings = body["details"]["warnings"]["xlsFormWarnings"]
    assert any("[row : 7]" in w and "kids_immunization" in w for w in warnings), warnings
    assert snapshot(server) == before

    for flag in ("false", "no"):
        again = upload(
            admin, FORMS / "onadata__nested_repeats.xlsx", params={"ignoreWarnings": flag}
        )
        assert again.status_code == 400
    accepted = upload(
        admin, FORMS / "onadata__nested_repeats.xlsx", params={"ignoreWarnings": "true"}
    )
    assert accepted.status_code == 200
    assert accepted.json()["warnings"] == warnings


def test_form_id_fallback_header(admin):
    response = upload(
        admin,
        FORMS / "onadata__tutorial.xlsx",
        params={"ignoreWarnings": "true"},
        headers={FALLBACK: "tutorial_2026"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["xmlFormId"] == "tutorial_2026"
    draft = admin.get("/v1/projects/1/forms/tutorial_2026/draft.xml").text
    assert 'id="tutorial_2026"' in draft


def test_form_id_in_settings_beats_fallback(admin):
    response = upload(
        admin,
        FORMS / "onadata__nested_repeats.xlsx",
        params={"ignoreWarnings": "true"},
        headers={FALLBACK: "ignored"},
    )
    assert response.json()["xmlFormId"] == "nested_repeats"


def test_missing_form_id_without_fallback(server, admin):
    before = snapshot(server)
    response = upload(admin, FORMS / "onadata__tutorial.xlsx")
    assert response.status_code == 400
    message = response.json()["message"]
    assert "form_id" in message
    assert FALLBACK in message
    assert snapshot(server) == before


def test_bad_fallback_form_id(server, admin):
    before = snapshot(server)
    response = upload(
        admin, FORMS / "onadata__tutorial.xlsx", headers={FALLBACK: "my form"}
    )
    assert response.status_code == 400
    assert "my form" in response.json()["message"]
    assert snapshot(server) == before


def test_duplicate_form_id_conflicts(server, admin):
    assert upload(admin, xform(form_id="twice")).status_code == 200
    before = snapshot(server)
    again = upload(admin, xform(form_id="twice", version="2"))
    assert again.status_code == 409
    assert again.json()["code"] == 409.3
    assert "twice" in again.json()["message"]
    assert snapshot(server) == before


def test_same_form_id_in_two_projects(admin):
    other = admin.post("/v1/projects", json={"name": "Other"}).json()["id"]
    assert upload(admin, xform(form_id="shared")).status_code == 200
    assert upload(admin, xform(form_id="shared"), other).status_code == 200


def test_form_state_changes(admin):
    upload(admin, xform(form_id="stateful"), params={"publish": "true"})
    form = "/v1/projects/1/forms/stateful"
    assert admin.get(form).json()["state"] == "open"
    for state in ("closing", "closed", "open"):
        response = admin.patch(form, json={"state": state})
        assert response.status_code == 200, response.text
        assert response.json()["state"] == state
        assert admin.get(form).json()["state"] == state
    bad = admin.patch(form, json={"state": "paused"})
    assert bad.status_code == 400
    assert "paused" in bad.json()["message"]
    other_field = admin.patch(form, json={"xmlFormId": "renamed"})
    assert other_field.status_code == 400
    assert admin.get(form).json()["state"] == "open"


def test_versions_list_newest_first(admin):
    upload(admin, xform(form_id="versioned", version="1"), params={"publish": "true"})
    form = "/v1/projects/1/forms/versioned"
    assert (
        upload(
            admin, xform(form_id="versioned", version="2"), path="/versioned/draft"
        ).status_code
        == 200
    )
    assert admin.post(form + "/draft/publish").status_code == 200
    versions = admin.get(form + "/versions").json()
    assert [v["version"] for v in versions] == ["2", "1"]
    old = admin.get(form + "/versions/1.xml")
    assert old.status_code == 200
    assert 'version="1"' in old.text
    assert admin.get(form + "/versions/1").json()["version"] == "1"
    assert admin.get(form + "/versions/9").status_code == 404
    assert admin.get(form).json()["version"] == "2"


def test_delete_form_frees_its_id(admin):
    upload(admin, xform(form_id="gone"), params={"publish": "true"})
    assert admin.delete("/v1/projects/1/forms/gone").status_code == 200
    assert admin.get("/v1/projects/1/forms/gone").status_code == 404
    assert admin.get("/v1/projects/1/forms").json() == []
    assert upload(admin, xform(form_id="gone")).status_code == 200
