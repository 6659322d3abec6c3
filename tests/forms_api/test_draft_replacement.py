"""Replacing a draft keeps uploaded files as ODK Central does.

Central's FormAttachments.createVersion copies each file the new definition still
expects (same name and type) from the draft being replaced, or from the published
version when there is no draft.
"""

from tests.forms_api.helpers import upload, xform

FORM = "/v1/projects/1/forms/lists"
CSV = "lists.csv"
FIRST = b"name,label\na,Alpha\n"
SECOND = b"name,label\nb,Beta\n"


def _lists_xform(version: str, expects_csv: bool = True) -> str:
    """The minimal XForm, with a secondary instance read from lists.csv if asked."""
    document = xform(form_id="lists", version=version)
    if not expects_csv:
        return document
    return document.replace(
        "</instance>",
        f'</instance><instance id="lists" src="jr://file-csv/{CSV}"/>',
        1,
    )


def _replace_draft(admin, version: str, expects_csv: bool = True) -> None:
    response = upload(admin, _lists_xform(version, expects_csv), path="/lists/draft")
    assert response.status_code == 200, response.text


def _upload_csv(admin, content: bytes) -> None:
    response = admin.post(
        f"{FORM}/draft/attachments/{CSV}",
        content=content,
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text


def _draft_files(admin) -> list[tuple[str, bool]]:
    listed = admin.get(FORM + "/draft/attachments")
    assert listed.status_code == 200, listed.text
    return [(a["name"], a["exists"]) for a in listed.json()]


def test_unpublished_draft_keeps_upload(admin):
    assert upload(admin, _lists_xform("1")).status_code == 200
    _upload_csv(admin, FIRST)
    _replace_draft(admin, "2")
    assert _draft_files(admin) == [(CSV, True)]
    assert admin.get(f"{FORM}/draft/attachments/{CSV}").content == FIRST


def test_draft_file_wins_over_published(admin):
    assert upload(admin, _lists_xform("1")).status_code == 200
    _upload_csv(admin, FIRST)
    assert admin.post(FORM + "/draft/publish").status_code == 200
    _replace_draft(admin, "2")
    _upload_csv(admin, SECOND)
    _replace_draft(admin, "3")
    assert _draft_files(admin) == [(CSV, True)]
    assert admin.get(f"{FORM}/draft/attachments/{CSV}").content == SECOND
    assert admin.get(f"{FORM}/attachments/{CSV}").content == FIRST


def test_empty_body_copies_from_draft(admin):
    assert upload(admin, _lists_xform("1")).status_code == 200
    _upload_csv(admin, FIRST)
    assert admin.post(FORM + "/draft/publish").status_code == 200
    _replace_draft(admin, "2")
    _upload_csv(admin, SECOND)
    assert admin.post(FORM + "/draft").status_code == 200
    assert admin.get(FORM + "/draft").json()["version"] == "1"
    assert admin.get(f"{FORM}/draft/attachments/{CSV}").content == SECOND


def test_file_dropped_by_draft_not_restored(admin):
    assert upload(admin, _lists_xform("1")).status_code == 200
    _upload_csv(admin, FIRST)
    assert admin.post(FORM + "/draft/publish").status_code == 200
    _replace_draft(admin, "2", expects_csv=False)
    assert _draft_files(admin) == []
    _replace_draft(admin, "3")
    assert _draft_files(admin) == [(CSV, False)]
    assert admin.get(f"{FORM}/attachments/{CSV}").content == FIRST
