"""The submissions REST API: review state, deletion, REST create, permissions."""

from tests.conftest import make_user
from tests.submissions.helpers import (
    device_for,
    instance,
    new_instance_id,
    post,
    publish_photo_form,
    submission_url,
)


def _one_submission(server, admin) -> str:
    publish_photo_form(admin)
    instance_id = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, instance(instance_id)).status_code == 201
    return instance_id


def test_review_state_audited(server, admin):
    instance_id = _one_submission(server, admin)
    url = submission_url("photo_survey", instance_id)
    response = admin.patch(url, json={"reviewState": "approved"})
    assert response.status_code == 200, response.text
    assert response.json()["reviewState"] == "approved"
    assert admin.get(url).json()["reviewState"] == "approved"
    audits = admin.get("/v1/audits", params={"action": "submission.update"}).json()
    assert [audit["details"]["reviewState"] for audit in audits] == ["approved"]


def test_review_state_invalid_400(server, admin):
    instance_id = _one_submission(server, admin)
    url = submission_url("photo_survey", instance_id)
    response = admin.patch(url, json={"reviewState": "great"})
    assert response.status_code == 400
    assert "great" in response.json()["message"]
    assert admin.get(url).json()["reviewState"] is None


def test_unknown_submission_404(server, admin):
    publish_photo_form(admin)
    url = submission_url("photo_survey", "uuid:nothing")
    assert admin.get(url).status_code == 404
    assert admin.get(url + ".xml").status_code == 404
    assert admin.get(url + "/attachments").status_code == 404
    assert admin.get(url + "/versions").status_code == 404


def test_rest_create_from_raw_xml(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id)
    headers = {"Content-Type": "application/xml"}
    created = admin.post(submission_url("photo_survey"), content=xml, headers=headers)
    assert created.status_code == 200, created.text
    assert created.json()["instanceId"] == instance_id
    again = admin.post(submission_url("photo_survey"), content=xml, headers=headers)
    assert again.status_code == 409
    other_form = admin.post(
        submission_url("photo_survey"),
        content=instance(new_instance_id(), form_id="elsewhere"),
        headers=headers,
    )
    assert other_form.status_code == 400
    assert len(admin.get(submission_url("photo_survey")).json()) == 1


def test_viewer_reads_but_cannot_review(server, admin):
    instance_id = _one_submission(server, admin)
    with make_user(admin, server, "viewer@kazi.test", "viewer") as viewer:
        url = submission_url("photo_survey", instance_id)
        assert viewer.get(url).status_code == 200
        assert viewer.patch(url, json={"reviewState": "approved"}).status_code == 403
        assert viewer.delete(url).status_code == 403
    assert admin.get(submission_url("photo_survey", instance_id)).status_code == 200
