"""XLSForm conversion details that follow pyxform-http, the converter ODK Central runs."""

import re

from tests.forms_api.helpers import XLSX, upload, xlsform

FALLBACK = "X-XlsForm-FormId-Fallback"


def test_fallback_id_is_default_title(admin):
    response = upload(
        admin,
        xlsform(form_id=None, version="1"),
        content_type=XLSX,
        headers={FALLBACK: "household_2026"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["xmlFormId"] == "household_2026"
    assert response.json()["name"] == "household_2026"
    draft = admin.get("/v1/projects/1/forms/household_2026/draft.xml").text
    assert re.search(r"<h:title>household_2026</h:title>", draft)
    assert '<data id="household_2026" version="1">' in draft


def test_settings_title_beats_fallback(admin):
    response = upload(
        admin,
        xlsform(form_id=None, version=None),
        content_type=XLSX,
        headers={FALLBACK: "titled"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Made in a test"
