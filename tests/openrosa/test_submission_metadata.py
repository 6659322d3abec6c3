"""What Kazi records about the sender, and resends of replaced versions."""

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


def test_long_device_id_and_agent_clipped(server, admin):
    # ODK Central stores both cut to 255 characters rather than reject the upload.
    publish_photo_form(admin)
    instance_id = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        response = device.post(
            "/submission",
            files={"xml_submission_file": ("s.xml", instance(instance_id), "text/xml")},
            params={"deviceID": "d" * 300},
            headers={"User-Agent": "u" * 1100},
        )
    assert response.status_code == 201, response.text
    row = admin.get(submission_url("photo_survey", instance_id)).json()
    assert row["deviceId"] == "d" * 255
    assert row["userAgent"] == "u" * 255


def test_blank_device_id_stored_as_null(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance(instance_id), params={"deviceID": ""})
    assert response.status_code == 201, response.text
    assert (
        admin.get(submission_url("photo_survey", instance_id)).json()["deviceId"] is None
    )


def test_odk_client_header_prepended(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        response = device.post(
            "/submission",
            files={"xml_submission_file": ("s.xml", instance(instance_id), "text/xml")},
            headers={"odk-client": "odk-web-forms/1.0", "User-Agent": "Mozilla/5.0"},
        )
    assert response.status_code == 201, response.text
    row = admin.get(submission_url("photo_survey", instance_id)).json()
    assert row["userAgent"] == "odk-web-forms/1.0 Mozilla/5.0"


def test_submission_response_headers(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance(new_instance_id()))
    assert response.status_code == 201
    assert response.headers["Content-Language"] == "en"
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    assert "text/xml" in response.headers["Content-Type"]


def test_resend_of_replaced_version_409(server, admin):
    publish_photo_form(admin)
    first_id, second_id = new_instance_id(), new_instance_id()
    original = instance(first_id, photo="photo.png")
    edit = instance(second_id, name="Ada L.", photo="photo.png", deprecated_id=first_id)
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, original).status_code == 201
        assert post(device, edit, {"photo.png": PNG}).status_code == 201
        resend = post(device, original, {"photo.png": b"late bytes"})
    assert resend.status_code == 409
    assert first_id in openrosa_message(resend)
    url = submission_url("photo_survey", first_id)
    old_files = admin.get(f"{url}/versions/{first_id}/attachments").json()
    assert old_files == [{"name": "photo.png", "exists": False}]
    assert admin.get(url + "/attachments/photo.png").content == PNG


def test_file_name_over_255_chars_400(server, admin):
    publish_photo_form(admin)
    name = "p" * 252 + ".png"
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance(new_instance_id(), photo=name), {name: PNG})
    assert response.status_code == 400
    assert "255" in openrosa_message(response)
    assert admin.get(submission_url("photo_survey")).json() == []


def test_attachment_served_with_sent_type(server, admin):
    # ODK Central serves the type the device sent, and JPEG, PNG and GIF inline.
    publish_photo_form(admin)
    cases = [
        ("noext", "image/jpeg", "image/jpeg", "inline"),
        ("x.jpg", "image/png", "image/png", "inline"),
        ("clip.webm", "audio/webm", "audio/webm", "attachment"),
        ("page.png", "text/html", "application/octet-stream", "attachment"),
    ]
    for name, sent, served, disposition in cases:
        instance_id = new_instance_id()
        with device_for(server, admin, "photo_survey") as device:
            response = device.post(
                "/submission",
                files={
                    "xml_submission_file": (
                        "s.xml",
                        instance(instance_id, photo=name),
                        "text/xml",
                    ),
                    name: (name, PNG, sent),
                },
            )
        assert response.status_code == 201, response.text
        url = submission_url("photo_survey", instance_id) + f"/attachments/{name}"
        download = admin.get(url)
        assert download.content == PNG
        assert download.headers["Content-Type"].split(";")[0] == served, name
        assert download.headers["Content-Disposition"].startswith(disposition), name
