"""Submission versions over REST: files of earlier versions and edited instanceIDs."""

from tests.submissions.helpers import (
    PNG,
    device_for,
    instance,
    new_instance_id,
    post,
    publish_photo_form,
    submission_url,
)


def _edited_submission(server, admin) -> tuple[str, str]:
    """Send a submission with two files, then an edit that replaces ``sign.png``."""
    publish_photo_form(admin)
    first_id, second_id = new_instance_id(), new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        original = instance(first_id, photo="photo.png", sign="sign.png")
        files = {"photo.png": PNG, "sign.png": b"s1"}
        assert post(device, original, files).status_code == 201
        edit = instance(
            second_id,
            name="Ada L.",
            photo="photo.png",
            sign="sign.png",
            deprecated_id=first_id,
        )
        assert post(device, edit, {"sign.png": b"s2"}).status_code == 201
    return first_id, second_id


def test_version_attachment_download(server, admin):
    first_id, second_id = _edited_submission(server, admin)
    url = submission_url("photo_survey", first_id)

    old = admin.get(f"{url}/versions/{first_id}/attachments/sign.png")
    assert old.status_code == 200, old.text
    assert old.content == b"s1"
    new = admin.get(f"{url}/versions/{second_id}/attachments/sign.png")
    assert new.status_code == 200
    assert new.content == b"s2"

    current = admin.get(url + "/attachments/sign.png")
    assert new.headers["etag"] == current.headers["etag"]
    assert new.headers["content-type"] == current.headers["content-type"]
    assert new.headers["content-disposition"] == current.headers["content-disposition"]
    assert old.headers["etag"] != current.headers["etag"]

    photo = admin.get(f"{url}/versions/{first_id}/attachments/photo.png")
    assert photo.content == PNG
    cached = admin.get(
        f"{url}/versions/{first_id}/attachments/photo.png",
        headers={"If-None-Match": photo.headers["etag"]},
    )
    assert cached.status_code == 304


def test_version_attachment_missing_404(server, admin):
    first_id, _ = _edited_submission(server, admin)
    url = submission_url("photo_survey", first_id)
    assert admin.get(f"{url}/versions/{first_id}/attachments/nope.png").status_code == 404
    missing_version = f"{url}/versions/uuid:nothing/attachments/sign.png"
    assert admin.get(missing_version).status_code == 404


def test_edited_instance_id_redirects(server, admin):
    first_id, second_id = _edited_submission(server, admin)
    base = "/v1/projects/1/forms/photo_survey/submissions"
    root = first_id.replace(":", "%3A")
    version = f"{base}/{root}/versions/{second_id}"
    cases = [
        ("", version),
        (".xml", version + ".xml"),
        ("/attachments", version + "/attachments"),
        ("/attachments/sign.png", version + "/attachments/sign.png"),
    ]
    for suffix, expected in cases:
        response = admin.get(f"{base}/{second_id}{suffix}")
        assert response.status_code == 301, suffix
        assert response.headers["location"] == expected, suffix
        assert admin.get(expected).status_code == 200, suffix

    with_query = admin.get(f"{base}/{second_id}", params={"a": "1"})
    assert with_query.headers["location"] == version + "?a=1"
    followed = admin.get(f"{base}/{second_id}.xml", follow_redirects=True)
    assert followed.status_code == 200
    assert b"Ada L." in followed.content
    photo = admin.get(f"{base}/{second_id}/attachments/sign.png", follow_redirects=True)
    assert photo.content == b"s2"


def test_deleted_edit_does_not_redirect(server, admin):
    first_id, second_id = _edited_submission(server, admin)
    assert admin.delete(submission_url("photo_survey", first_id)).status_code == 200
    url = submission_url("photo_survey", second_id)
    assert admin.get(url).status_code == 404
    assert admin.get(url + ".xml").status_code == 404
