"""Submissions from revoked app users or into other projects: refused, none stored."""

from tests.odk_collect import assign, collect_client, create_app_user, publish
from tests.submissions.helpers import (
    PNG,
    instance,
    new_instance_id,
    photo_form,
    post,
    submission_url,
)


def test_revoked_app_user_submission_401(server, admin):
    form_id = publish(admin, photo_form())
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)
    assert admin.delete(f"/v1/sessions/{app_user.token}").status_code == 200

    with collect_client(server, app_user.token) as device:
        head = device.head("/submission")
        response = post(
            device, instance(new_instance_id(), photo="photo.png"), {"photo.png": PNG}
        )
    assert head.status_code == 401
    assert response.status_code == 401
    assert admin.get(submission_url(form_id)).json() == []


def test_other_project_submission_refused(server, admin):
    other = admin.post("/v1/projects", json={"name": "Zambia pilot"})
    assert other.status_code == 200
    other_id = other.json()["id"]
    publish(admin, photo_form(), project_id=other_id)
    publish(admin, photo_form())
    app_user = create_app_user(admin)
    assign(admin, app_user, "photo_survey")

    # The project 1 token, pointed at project 2's submission URL.
    with collect_client(server, app_user.token, project_id=other_id) as device:
        response = post(device, instance(new_instance_id()))
    assert response.status_code in (401, 403, 404)
    stored = admin.get(f"/v1/projects/{other_id}/forms/photo_survey/submissions")
    assert stored.json() == []
    assert admin.get(submission_url("photo_survey")).json() == []
