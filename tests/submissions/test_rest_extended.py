"""X-Extended-Metadata on the submission list, a submission and its versions."""

from tests.submissions.helpers import (
    device_for,
    instance,
    new_instance_id,
    post,
    publish_photo_form,
    submission_url,
)

EXTENDED = {"X-Extended-Metadata": "true"}
ACTOR_KEYS = {"id", "type", "displayName", "createdAt", "updatedAt", "deletedAt"}


def _device_and_web_submissions(server, admin) -> tuple[str, str]:
    """Send one submission from an app user, edit it, and create one as the admin."""
    publish_photo_form(admin)
    first_id, edit_id = new_instance_id(), new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, instance(first_id)).status_code == 201
        edit = instance(edit_id, name="Ada L.", deprecated_id=first_id)
        assert post(device, edit).status_code == 201
    web_id = new_instance_id()
    created = admin.post(
        submission_url("photo_survey"),
        content=instance(web_id),
        headers={"Content-Type": "application/xml"},
    )
    assert created.status_code == 200, created.text
    return first_id, web_id


def test_extended_list_adds_submitter(server, admin):
    first_id, web_id = _device_and_web_submissions(server, admin)
    plain = admin.get(submission_url("photo_survey")).json()
    assert all("submitter" not in row for row in plain)

    rows = admin.get(submission_url("photo_survey"), headers=EXTENDED).json()
    by_id = {row["instanceId"]: row for row in rows}
    device_row, web_row = by_id[first_id], by_id[web_id]
    assert set(device_row["submitter"]) == ACTOR_KEYS
    assert device_row["submitter"]["id"] == device_row["submitterId"]
    assert device_row["submitter"]["type"] == "field_key"
    assert device_row["submitter"]["displayName"] == "tablet-1"
    assert device_row["currentVersion"]["submitter"] == device_row["submitter"]
    assert web_row["submitter"]["type"] == "user"
    assert web_row["submitter"]["id"] == web_row["submitterId"]
    assert "email" not in web_row["submitter"]


def test_extended_submission_adds_submitter(server, admin):
    first_id, _ = _device_and_web_submissions(server, admin)
    url = submission_url("photo_survey", first_id)
    assert "submitter" not in admin.get(url).json()
    body = admin.get(url, headers=EXTENDED).json()
    assert body["submitter"]["displayName"] == "tablet-1"
    assert body["currentVersion"]["submitter"]["id"] == body["submitterId"]


def test_extended_versions_add_form_version(server, admin):
    first_id, _ = _device_and_web_submissions(server, admin)
    url = submission_url("photo_survey", first_id)
    plain = admin.get(url + "/versions").json()
    assert all("formVersion" not in row for row in plain)
    assert all("submitter" not in row for row in plain)

    versions = admin.get(url + "/versions", headers=EXTENDED).json()
    assert len(versions) == 2
    for row in versions:
        assert row["formVersion"] == "1"
        assert set(row["submitter"]) == ACTOR_KEYS
        assert row["submitter"]["id"] == row["submitterId"]
        assert row["submitter"]["displayName"] == "tablet-1"

    one = admin.get(f"{url}/versions/{first_id}", headers=EXTENDED).json()
    assert one["formVersion"] == "1"
    assert one["submitter"]["type"] == "field_key"
    assert "formVersion" not in admin.get(f"{url}/versions/{first_id}").json()
