"""Real submissions from other ODK servers' test suites, posted to their real forms."""

import pytest

from tests.conftest import FIXTURES
from tests.odk_collect import openrosa_message, publish
from tests.submissions.helpers import device_for, post, submission_url

SUBMISSIONS = FIXTURES / "submissions"
FORMS = FIXTURES / "forms"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Folder (= form file name) -> (form file, form ID from the instances' root id).
CORPUS = {
    "onadata__tutorial": ("onadata__tutorial.xlsx", "tutorial"),
    "onadata__nested_repeats": ("onadata__nested_repeats.xlsx", "nested_repeats"),
    "onadata__groups_in_repeats": (
        "onadata__groups_in_repeats.xlsx",
        "groups_in_repeats",
    ),
    "centralbackend__simpleEntity": ("centralbackend__simpleEntity.xml", "simpleEntity"),
    "centralbackend__updateEntity": ("centralbackend__updateEntity.xml", "updateEntity"),
}

# Files that must be rejected, with the status and a word the message must contain.
REJECTED = {
    "tutorial_2012-06-27_11-27-53_bad_id_string.xml": (404, "tutorial_bad"),
    "tutorial_2012-06-27_11-27-53_w_uuid_same_instanceID.xml": (
        409,
        "uuid:729f173c688e482486a48661700455ff",
    ),
    # The XLSForm sets version 201211121234, but these instances carry no version
    # attribute, so they were filled on some other version: Central rejects them too.
    "nested_repeats_01.xml": (404, "has no published version ''"),
    "nested_repeats_02.xml": (404, "has no published version ''"),
}

# Sent in this order, so each edit finds the version it replaces.
TUTORIAL_ORDER = [
    "tutorial_2012-06-27_11-27-53.xml",
    "tutorial_2012-06-27_11-27-53_w_uuid.xml",
    "tutorial_2012-06-27_11-27-53_w_uuid_edited.xml",
    "tutorial_2012-06-27_11-27-53_w_uuid_edited_again.xml",
    "tutorial_2012-06-27_11-27-53_w_uuid_same_instanceID.xml",
    "tutorial_2012-06-27_11-27-53_bad_id_string.xml",
    "tutorial_unicode_submission.xml",
]


def _publish(admin, folder: str) -> str:
    file_name, form_id = CORPUS[folder]
    content_type = XLSX if file_name.endswith(".xlsx") else "application/xml"
    return publish(
        admin,
        (FORMS / file_name).read_bytes(),
        content_type=content_type,
        fallback_form_id=form_id,
    )


@pytest.mark.parametrize("folder", sorted(CORPUS))
def test_corpus_submissions(folder, server, admin):
    form_id = _publish(admin, folder)
    assert form_id == CORPUS[folder][1]
    names = sorted(path.name for path in (SUBMISSIONS / folder).glob("*.xml"))
    if folder == "onadata__tutorial":
        assert sorted(TUTORIAL_ORDER) == names
        names = TUTORIAL_ORDER
    accepted = []
    with device_for(server, admin, form_id) as device:
        for name in names:
            xml = (SUBMISSIONS / folder / name).read_bytes()
            response = post(device, xml)
            if name in REJECTED:
                status, word = REJECTED[name]
                assert response.status_code == status, (name, response.text)
                assert word in openrosa_message(response), name
            else:
                assert response.status_code == 201, (name, response.text)
                accepted.append(xml)
    listed = admin.get(submission_url(form_id)).json()
    if folder == "onadata__tutorial":
        # Three files are one submission and its two edits.
        assert len(listed) == len(accepted) - 2
        edited = admin.get(
            submission_url(form_id, "uuid:729f173c688e482486a48661700455ff") + "/versions"
        ).json()
        assert len(edited) == 3
    else:
        assert len(listed) == len(accepted)
    stored = {
        admin.get(submission_url(form_id, row["instanceId"]) + ".xml").content
        for row in listed
    }
    assert stored <= set(accepted)
