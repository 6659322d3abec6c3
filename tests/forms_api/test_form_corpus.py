"""Every form fixture either publishes or is rejected with a clear message."""

import re

import pytest

from tests.forms_api.helpers import FORMS, snapshot, upload

FIXTURES = sorted(
    path.name
    for path in FORMS.iterdir()
    if path.suffix in (".xlsx", ".xls", ".xml", ".md") and path.name != "SOURCES.md"
)
REJECTED = {
    "ceat__Abidjan_2022.xls",
    "pyxform__group.md",
    "pyxform__xlsform_spec_test.xlsx",
}


def _fallback(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name.split(".")[0])


def test_corpus_is_complete():
    assert len(FIXTURES) >= 13
    assert REJECTED <= set(FIXTURES)


@pytest.mark.parametrize("name", sorted(set(FIXTURES) - REJECTED))
def test_fixture_publishes(admin, name):
    path = FORMS / name
    response = upload(
        admin,
        path.read_bytes(),
        content_type="application/xml" if path.suffix == ".xml" else None,
        params={"publish": "true", "ignoreWarnings": "true"},
        headers={"X-XlsForm-FormId-Fallback": _fallback(name)},
    )
    assert response.status_code == 200, response.text
    form_id = response.json()["xmlFormId"]
    served = admin.get(f"/v1/projects/1/forms/{form_id}.xml")
    assert served.status_code == 200
    assert served.text.lstrip().startswith("<")
    assert f'id="{form_id}"' in served.text


def test_duplicate_name_rejected_with_row(server, admin):
    before = snapshot(server)
    response = upload(
        admin,
        FORMS / "ceat__Abidjan_2022.xls",
        params={"publish": "true", "ignoreWarnings": "true"},
        headers={"X-XlsForm-FormId-Fallback": "abidjan"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400.15
    assert "row : 62" in body["message"]
    assert "HandWashHabits1" in body["message"]
    assert "'survey' sheet" in body["message"]
    assert "unique" in body["message"]
    assert snapshot(server) == before


def test_markdown_xlsform_rejected_clearly(server, admin):
    before = snapshot(server)
    response = upload(
        admin,
        FORMS / "pyxform__group.md",
        content_type="text/markdown",
        headers={"X-XlsForm-FormId-Fallback": "group"},
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "markdown" in message
    assert ".xlsx" in message
    assert snapshot(server) == before


def test_form_id_with_space_names_settings_sheet(server, admin):
    before = snapshot(server)
    response = upload(
        admin,
        FORMS / "pyxform__xlsform_spec_test.xlsx",
        params={"ignoreWarnings": "true"},
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "'Spec test'" in message
    assert "'settings' sheet" in message
    assert "row 2" in message
    assert snapshot(server) == before
