"""A multipart body cut off before its closing boundary is rejected, not stored."""

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

BOUNDARY = "kazi-cut-off"


def _cut_off_body(xml: bytes) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            "Content-Disposition: form-data; "
            'name="xml_submission_file"; filename="a.xml"\r\n'
            "Content-Type: text/xml\r\n\r\n"
        ).encode()
        + xml
        + (
            f"\r\n--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="photo.png"; filename="photo.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + PNG[: len(PNG) // 2]
    )


def test_cut_off_upload_rejected(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="photo.png")
    with device_for(server, admin, "photo_survey") as device:
        cut = device.post(
            "/submission",
            content=_cut_off_body(xml),
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert cut.status_code == 400
        assert "cut off" in openrosa_message(cut)
        assert admin.get(submission_url("photo_survey")).json() == []

        # The device retries with the whole body, and the file arrives complete.
        whole = post(device, xml, {"photo.png": PNG})
    assert whole.status_code == 201
    stored = admin.get(
        submission_url("photo_survey", instance_id) + "/attachments/photo.png"
    )
    assert stored.content == PNG
