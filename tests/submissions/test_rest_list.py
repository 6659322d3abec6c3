"""The submission list's paging and deleted filter, and restoring deleted submissions."""

from tests.conftest import make_user
from tests.submissions.helpers import (
    device_for,
    instance,
    new_instance_id,
    post,
    publish_photo_form,
    submission_url,
)


def _submissions(server, admin, count: int) -> list[str]:
    """Send ``count`` submissions and return their instanceIDs, oldest first."""
    publish_photo_form(admin)
    instance_ids = [new_instance_id() for _ in range(count)]
    with device_for(server, admin, "photo_survey") as device:
        for instance_id in instance_ids:
            assert post(device, instance(instance_id)).status_code == 201
    return instance_ids


def _listed(client, **params) -> list[str]:
    response = client.get(submission_url("photo_survey"), params=params)
    assert response.status_code == 200, response.text
    return [row["instanceId"] for row in response.json()]


def test_list_limit_and_offset(server, admin):
    oldest, middle, newest = _submissions(server, admin, 3)
    assert _listed(admin) == [newest, middle, oldest]
    assert _listed(admin, limit=2) == [newest, middle]
    assert _listed(admin, offset=1) == [middle, oldest]
    assert _listed(admin, limit=1, offset=1) == [middle]
    assert _listed(admin, limit=0) == []
    assert _listed(admin, offset=3) == []


def test_list_invalid_paging_400(server, admin):
    _submissions(server, admin, 1)
    url = submission_url("photo_survey")
    assert admin.get(url, params={"limit": "many"}).status_code == 400
    assert admin.get(url, params={"offset": "-1"}).status_code == 400


def test_list_deleted_only(server, admin):
    kept, removed = _submissions(server, admin, 2)
    assert admin.delete(submission_url("photo_survey", removed)).status_code == 200

    assert _listed(admin) == [kept]
    assert _listed(admin, deleted="false") == [kept]
    assert _listed(admin, deleted="true") == [removed]
    assert _listed(admin, deleted="TRUE") == [removed]
    rows = admin.get(submission_url("photo_survey"), params={"deleted": "true"}).json()
    assert rows[0]["deletedAt"] is not None
    assert _listed(admin, deleted="true", offset=1) == []


def test_viewer_lists_deleted(server, admin):
    _, removed = _submissions(server, admin, 2)
    assert admin.delete(submission_url("photo_survey", removed)).status_code == 200
    with make_user(admin, server, "viewer@kazi.test", "viewer") as viewer:
        assert _listed(viewer, deleted="true") == [removed]


def test_restore_audited(server, admin):
    (instance_id,) = _submissions(server, admin, 1)
    url = submission_url("photo_survey", instance_id)
    assert admin.delete(url).status_code == 200
    assert admin.get(url).status_code == 404

    restored = admin.post(url + "/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == {"success": True}
    body = admin.get(url).json()
    assert body["deletedAt"] is None
    assert _listed(admin) == [instance_id]
    assert _listed(admin, deleted="true") == []

    audits = admin.get("/v1/audits", params={"action": "submission.restore"}).json()
    assert len(audits) == 1
    assert audits[0]["details"]["instanceId"] == instance_id
    assert audits[0]["actorId"] is not None


def test_restore_not_deleted_404(server, admin):
    (instance_id,) = _submissions(server, admin, 1)
    url = submission_url("photo_survey", instance_id)
    assert admin.post(url + "/restore").status_code == 404
    missing = submission_url("photo_survey", "uuid:nothing")
    assert admin.post(missing + "/restore").status_code == 404
    audits = admin.get("/v1/audits", params={"action": "submission.restore"}).json()
    assert audits == []


def test_restore_needs_manager(server, admin):
    (instance_id,) = _submissions(server, admin, 1)
    url = submission_url("photo_survey", instance_id)
    assert admin.delete(url).status_code == 200
    for role in ("viewer", "datamanager"):
        with make_user(admin, server, f"{role}@kazi.test", role) as client:
            assert client.post(url + "/restore").status_code == 403, role
    with make_user(admin, server, "manager@kazi.test", "manager") as manager:
        assert manager.post(url + "/restore").status_code == 200
    assert admin.get(url).status_code == 200


def test_resend_after_restore(server, admin):
    """After restore, a resend is the same submission again, as for a live one."""
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id)
    url = submission_url("photo_survey", instance_id)
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, xml).status_code == 201
        assert admin.delete(url).status_code == 200
        assert post(device, xml).status_code == 409
        assert admin.post(url + "/restore").status_code == 200
        resent = post(device, xml)
    assert resent.status_code == 201, resent.text
    assert _listed(admin) == [instance_id]
    versions = admin.get(url + "/versions").json()
    assert len(versions) == 1
    rest_create = admin.post(
        submission_url("photo_survey"),
        content=xml,
        headers={"Content-Type": "application/xml"},
    )
    assert rest_create.status_code == 409
