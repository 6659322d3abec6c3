"""Audits of one submission at .../submissions/{instanceId}/audits."""

from tests.conftest import make_user
from tests.submissions.helpers import (
    device_for,
    instance,
    new_instance_id,
    post,
    publish_photo_form,
    submission_url,
)


def _reviewed_edit(server, admin) -> tuple[str, str]:
    """Send a submission, an edit of it and a second submission, then review the first."""
    publish_photo_form(admin)
    first_id, edit_id, other_id = new_instance_id(), new_instance_id(), new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, instance(first_id)).status_code == 201
        edit = instance(edit_id, name="Ada L.", deprecated_id=first_id)
        assert post(device, edit).status_code == 201
        assert post(device, instance(other_id)).status_code == 201
    url = submission_url("photo_survey", first_id)
    assert admin.patch(url, json={"reviewState": "approved"}).status_code == 200
    return first_id, other_id


def test_submission_audits_listed(server, admin):
    first_id, other_id = _reviewed_edit(server, admin)
    response = admin.get(submission_url("photo_survey", first_id) + "/audits")
    assert response.status_code == 200, response.text
    rows = response.json()
    assert [row["action"] for row in rows] == [
        "submission.update",
        "submission.update.version",
        "submission.create",
    ]
    assert rows[0]["details"]["instanceId"] == first_id
    assert rows[2]["details"]["instanceId"] == first_id

    site_log = {row["id"]: row for row in admin.get("/v1/audits").json()}
    for row in rows:
        assert row == site_log[row["id"]]

    other = admin.get(submission_url("photo_survey", other_id) + "/audits").json()
    assert [row["action"] for row in other] == ["submission.create"]
    assert other[0]["details"]["instanceId"] == other_id


def test_submission_audits_paged(server, admin):
    first_id, _ = _reviewed_edit(server, admin)
    url = submission_url("photo_survey", first_id) + "/audits"
    page = admin.get(url, params={"limit": 1, "offset": 1}).json()
    assert [row["action"] for row in page] == ["submission.update.version"]
    assert admin.get(url, params={"limit": "x"}).status_code == 400


def test_submission_audits_404(server, admin):
    first_id, _ = _reviewed_edit(server, admin)
    missing = submission_url("photo_survey", "uuid:nothing") + "/audits"
    assert admin.get(missing).status_code == 404
    url = submission_url("photo_survey", first_id)
    assert admin.delete(url).status_code == 200
    assert admin.get(url + "/audits").status_code == 404


def test_submission_audits_permissions(server, admin):
    first_id, _ = _reviewed_edit(server, admin)
    url = submission_url("photo_survey", first_id) + "/audits"
    with make_user(admin, server, "viewer@kazi.test", "viewer") as viewer:
        assert viewer.get(url).status_code == 200
    with make_user(admin, server, "formfill@kazi.test", "formfill") as collector:
        assert collector.get(url).status_code == 403
