"""Version strings on publish and in URLs, and XLSForm downloads by type."""

import pytest

from tests.forms_api.helpers import FORMS, XLS, XLSX, upload, xform

FALLBACK = "X-XlsForm-FormId-Fallback"


def test_publish_ignores_empty_version(admin):
    assert upload(admin, xform(form_id="kept", version="7")).status_code == 200
    form = "/v1/projects/1/forms/kept"
    published = admin.post(form + "/draft/publish", params={"version": ""})
    assert published.status_code == 200, published.text
    assert admin.get(form).json()["version"] == "7"
    assert 'version="7"' in admin.get(form + ".xml").text
    assert [v["version"] for v in admin.get(form + "/versions").json()] == ["7"]


def test_blank_version_reached_as_underscores(admin):
    upload(admin, xform(form_id="blank", version=""), params={"publish": "true"})
    form = "/v1/projects/1/forms/blank"
    assert admin.get(form).json()["version"] == ""
    version = admin.get(form + "/versions/___")
    assert version.status_code == 200, version.text
    assert version.json()["version"] == ""
    served = admin.get(form + "/versions/___.xml")
    assert served.status_code == 200
    assert served.content == admin.get(form + ".xml").content
    assert admin.get(form + "/versions/___/attachments").json() == []


def test_underscores_miss_nonblank_version(admin):
    upload(admin, xform(form_id="named", version="1"), params={"publish": "true"})
    assert admin.get("/v1/projects/1/forms/named/versions/___").status_code == 404


@pytest.mark.parametrize(
    ("name", "media", "served", "refused"),
    [
        ("onadata__tutorial.xlsx", XLSX, ".xlsx", ".xls"),
        ("pyxform__widgets.xls", XLS, ".xls", ".xlsx"),
    ],
)
def test_xlsform_download_needs_matching_type(admin, name, media, served, refused):
    response = upload(
        admin,
        (FORMS / name).read_bytes(),
        content_type=media,
        params={"ignoreWarnings": "true"},
        headers={FALLBACK: "typed"},
    )
    assert response.status_code == 200, response.text
    form = "/v1/projects/1/forms/typed"
    assert admin.get(f"{form}/draft{served}").status_code == 200
    assert admin.get(f"{form}/draft{refused}").status_code == 404
    version = response.json()["version"] or "___"
    assert admin.post(form + "/draft/publish").status_code == 200
    for prefix in (form, f"{form}/versions/{version}"):
        assert admin.get(prefix + served).status_code == 200, prefix + served
        missing = admin.get(prefix + refused)
        assert missing.status_code == 404, prefix + refused
        assert refused in missing.json()["message"]
