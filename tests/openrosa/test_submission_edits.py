"""Edits (meta/deprecatedID), deleted submissions, odd characters and missing IDs."""

from tests.odk_collect import openrosa_message
from tests.submissions.helpers import (
    PNG,
    device_for,
    instance,
    new_instance_id,
    post,
    publish_photo_form,
    submission_url,
)


def test_edit_creates_version(server, admin):
    publish_photo_form(admin)
    first_id, second_id = new_instance_id(), new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        original = instance(first_id, photo="photo.png", sign="sign.png")
        assert (
            post(device, original, {"photo.png": PNG, "sign.png": b"s1"}).status_code
            == 201
        )
        edit = instance(
            second_id,
            name="Ada L.",
            photo="photo.png",
            sign="sign.png",
            deprecated_id=first_id,
        )
        response = post(device, edit, {"sign.png": b"s2"})
        resend = post(device, edit)
    assert response.status_code == 201, response.text
    assert resend.status_code == 201

    url = submission_url("photo_survey", first_id)
    body = admin.get(url).json()
    assert body["reviewState"] == "edited"
    assert body["currentVersion"]["instanceId"] == second_id
    assert admin.get(url + ".xml").content == edit
    versions = admin.get(url + "/versions").json()
    assert [v["instanceId"] for v in versions] == [second_id, first_id]
    assert [v["current"] for v in versions] == [True, False]
    assert admin.get(f"{url}/versions/{first_id}.xml").content == original
    # The photo was not sent again, so it is carried over from the first version.
    assert admin.get(url + "/attachments/photo.png").content == PNG
    assert admin.get(url + "/attachments/sign.png").content == b"s2"
    old_files = admin.get(f"{url}/versions/{first_id}/attachments").json()
    assert old_files == [
        {"name": "photo.png", "exists": True},
        {"name": "sign.png", "exists": True},
    ]
    assert len(admin.get(submission_url("photo_survey")).json()) == 1


def test_edit_unknown_deprecated_id_404(server, admin):
    publish_photo_form(admin)
    missing = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance(new_instance_id(), deprecated_id=missing))
    assert response.status_code == 404
    assert missing in openrosa_message(response)
    assert admin.get(submission_url("photo_survey")).json() == []


def test_edit_of_replaced_version_409(server, admin):
    publish_photo_form(admin)
    first, second, third = new_instance_id(), new_instance_id(), new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, instance(first)).status_code == 201
        assert post(device, instance(second, deprecated_id=first)).status_code == 201
        stale = post(device, instance(third, name="Other", deprecated_id=first))
    assert stale.status_code == 409
    assert first in openrosa_message(stale)
    versions = admin.get(submission_url("photo_survey", first) + "/versions").json()
    assert len(versions) == 2


def test_deleted_submission_resent_409(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id)
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, xml).status_code == 201
        deleted = admin.delete(submission_url("photo_survey", instance_id))
        assert deleted.status_code == 200
        resent = post(device, xml)
    assert resent.status_code == 409
    assert "deleted" in openrosa_message(resent)
    assert admin.get(submission_url("photo_survey")).json() == []
    assert admin.get(submission_url("photo_survey", instance_id)).status_code == 404
    audits = admin.get("/v1/audits", params={"action": "submission.delete"}).json()
    assert len(audits) == 1


def test_forbidden_characters_flagged(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, name="bell\x07 ref&#1; emoji&#128512;", instance_name="x")
    # The escape in instance() turned & into &amp;; put the references back raw.
    xml = xml.replace(b"&amp;#", b"&#")
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, xml)
    assert response.status_code == 201, response.text
    url = submission_url("photo_survey", instance_id)
    assert admin.get(url + ".xml").content == xml
    assert admin.get(url).json()["invalidCharacters"] is True


def test_emoji_reference_decoded(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, instance_name="smile").replace(
        b"<orx:instanceName>smile", b"<orx:instanceName>smile &#128512;"
    )
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, xml).status_code == 201
    body = admin.get(submission_url("photo_survey", instance_id)).json()
    assert body["currentVersion"]["instanceName"] == "smile \U0001f600"
    assert body["invalidCharacters"] is False


def test_no_instance_id_accepted_once(server, admin):
    publish_photo_form(admin)
    xml = b'<data id="photo_survey" version="1"><name>Old client</name></data>'
    with device_for(server, admin, "photo_survey") as device:
        first = post(device, xml)
        again = post(device, xml)
    assert (first.status_code, again.status_code) == (201, 201)
    listed = admin.get(submission_url("photo_survey")).json()
    assert len(listed) == 1
    assert listed[0]["instanceId"].startswith("uuid:")


def test_root_instance_id_attribute_used(server, admin):
    publish_photo_form(admin)
    xml = (
        b'<data id="photo_survey" version="1" instanceID="uuid:from-attr"><name/></data>'
    )
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, xml).status_code == 201
    assert admin.get(submission_url("photo_survey", "uuid:from-attr")).status_code == 200


def test_root_instance_id_element_used(server, admin):
    # ODK Central falls back to an instanceID element directly under the root.
    publish_photo_form(admin)
    xml = (
        b'<data id="photo_survey" version="1">'
        b"<instanceID>uuid:from-element</instanceID><name/></data>"
    )
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, xml).status_code == 201
    assert (
        admin.get(submission_url("photo_survey", "uuid:from-element")).status_code == 200
    )
