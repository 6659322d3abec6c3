"""Body limits and content types of the OpenRosa submission endpoint."""

from app.submissions.instance import MAX_KEPT_LEAVES
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


def test_batch_filled_to_limit_accepted(server, admin):
    # Collect fills a request with files up to the advertised limit, so the part
    # headers and boundaries come on top of it.
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="photo.png")
    photo = b"p" * 5000
    settings = server.app.state.settings
    saved = settings.max_submission_bytes
    settings.max_submission_bytes = len(xml) + len(photo)
    try:
        with device_for(server, admin, "photo_survey") as device:
            response = post(device, xml, {"photo.png": photo})
    finally:
        settings.max_submission_bytes = saved
    assert response.status_code == 201
    stored = admin.get(
        submission_url("photo_survey", instance_id) + "/attachments/photo.png"
    )
    assert stored.content == photo


def test_contents_one_byte_over_limit_413(server, admin):
    publish_photo_form(admin)
    xml = instance(new_instance_id(), photo="photo.png")
    photo = b"p" * 5000
    settings = server.app.state.settings
    saved = settings.max_submission_bytes
    settings.max_submission_bytes = len(xml) + len(photo) - 1
    try:
        with device_for(server, admin, "photo_survey") as device:
            response = post(device, xml, {"photo.png": photo})
    finally:
        settings.max_submission_bytes = saved
    assert response.status_code == 413
    assert admin.get(submission_url("photo_survey")).json() == []


def test_body_not_multipart_400(server, admin):
    publish_photo_form(admin)
    xml = instance(new_instance_id())
    with device_for(server, admin, "photo_survey") as device:
        as_xml = device.post(
            "/submission", content=xml, headers={"Content-Type": "text/xml"}
        )
        untyped = device.post("/submission", content=xml)
        no_boundary = device.post(
            "/submission", content=xml, headers={"Content-Type": "multipart/form-data"}
        )
    assert as_xml.status_code == 400
    assert "'text/xml'" in openrosa_message(as_xml)
    assert "xml_submission_file" in openrosa_message(as_xml)
    assert untyped.status_code == 400
    assert "no Content-Type" in openrosa_message(untyped)
    assert "None" not in openrosa_message(untyped)
    assert no_boundary.status_code == 400
    assert "boundary" in openrosa_message(no_boundary)
    assert admin.get(submission_url("photo_survey")).json() == []


def test_file_name_with_double_dot_accepted(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="IMG..1.png")
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, xml, {"IMG..1.png": PNG})
    assert response.status_code == 201
    url = submission_url("photo_survey", instance_id) + "/attachments"
    assert admin.get(url).json() == [{"name": "IMG..1.png", "exists": True}]
    assert admin.get(url + "/IMG..1.png").content == PNG


def test_file_named_dot_dot_400(server, admin):
    publish_photo_form(admin)
    xml = instance(new_instance_id(), photo="..")
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, xml, {"..": PNG})
    assert response.status_code == 400
    assert "'..'" in openrosa_message(response)
    assert admin.get(submission_url("photo_survey")).json() == []


def test_many_leaves_still_find_files(server, admin):
    # Past MAX_KEPT_LEAVES the reader scans the document again for file names.
    publish_photo_form(admin)
    instance_id = new_instance_id()
    padding = b"<note>n</note>" * (MAX_KEPT_LEAVES + 5)
    xml = instance(instance_id, photo="photo.png").replace(b"<name>", padding + b"<name>")
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, xml, {"photo.png": PNG})
    assert response.status_code == 201
    url = submission_url("photo_survey", instance_id) + "/attachments"
    assert admin.get(url).json() == [{"name": "photo.png", "exists": True}]
