"""The OpenRosa submission endpoint, driven the way ODK Collect drives it."""

from defusedxml import ElementTree as ET

from tests.odk_collect import RESPONSE_NS, collect_client, openrosa_message, publish
from tests.submissions.helpers import (
    PNG,
    device_for,
    instance,
    new_instance_id,
    photo_form,
    post,
    publish_photo_form,
    submission_url,
)


def test_head_and_get_preflight(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        head = device.head("/submission", params={"deviceID": "collect:abc"})
        get = device.get("/submission")
    for response in (head, get):
        assert response.status_code == 204
        assert response.content == b""
        assert response.headers["X-OpenRosa-Version"] == "1.0"
        assert int(response.headers["X-OpenRosa-Accept-Content-Length"]) == (
            server.settings.max_submission_bytes
        )
        assert response.headers["Date"]


def test_preflight_bad_token_401(server, admin):
    with collect_client(server, "not-a-real-token") as device:
        assert device.head("/submission").status_code == 401
    with collect_client(server) as anonymous:
        assert anonymous.head("/submission").status_code == 401


def test_new_submission_created(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="photo.png", instance_name="Ada's visit")
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, xml, {"photo.png": PNG, "unrelated.txt": b"ignored"})
    assert response.status_code == 201, response.text
    root = ET.fromstring(response.content)
    assert root.tag == f"{RESPONSE_NS}OpenRosaResponse"
    assert root.find(f"{RESPONSE_NS}message").get("nature") == ""
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    assert response.headers["X-OpenRosa-Accept-Content-Length"]

    listed = admin.get(submission_url("photo_survey")).json()
    assert [row["instanceId"] for row in listed] == [instance_id]
    row = listed[0]
    assert row["deviceId"] == "collect:TestDevice01"
    assert row["userAgent"].startswith("org.odk.collect.android/")
    assert row["reviewState"] is None
    assert row["currentVersion"]["instanceName"] == "Ada's visit"
    assert row["currentVersion"]["current"] is True
    assert admin.get(submission_url("photo_survey", instance_id) + ".xml").content == xml
    attachments = admin.get(submission_url("photo_survey", instance_id) + "/attachments")
    assert attachments.json() == [{"name": "photo.png", "exists": True}]
    photo = admin.get(
        submission_url("photo_survey", instance_id) + "/attachments/photo.png"
    )
    assert photo.content == PNG
    audits = admin.get("/v1/audits", params={"action": "submission.create"}).json()
    assert [audit["details"]["instanceId"] for audit in audits] == [instance_id]


def test_application_xml_part_accepted(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance(new_instance_id()), xml_type="application/xml")
    assert response.status_code == 201


def test_identical_resend_stored_once(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="photo.png", sign="sign.png")
    with device_for(server, admin, "photo_survey") as device:
        first = post(device, xml, {"photo.png": PNG})
        again = post(device, xml, {"photo.png": PNG, "sign.png": b"signature"})
        third = post(device, xml)
    assert (first.status_code, again.status_code, third.status_code) == (201, 201, 201)
    assert len(admin.get(submission_url("photo_survey")).json()) == 1
    attachments = admin.get(submission_url("photo_survey", instance_id) + "/attachments")
    assert attachments.json() == [
        {"name": "photo.png", "exists": True},
        {"name": "sign.png", "exists": True},
    ]
    audits = admin.get("/v1/audits", params={"action": "submission.create"}).json()
    assert len(audits) == 1


def test_resend_with_new_file_bytes_replaces(server, admin):
    # ODK Central replaces a file that a resend of identical XML carries with new
    # bytes, and audits the change.
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="photo.png")
    with device_for(server, admin, "photo_survey") as device:
        first = post(device, xml, {"photo.png": PNG})
        again = post(device, xml, {"photo.png": PNG + b"retaken"})
        same = post(device, xml, {"photo.png": PNG + b"retaken"})
    assert (first.status_code, again.status_code, same.status_code) == (201, 201, 201)
    url = submission_url("photo_survey", instance_id)
    assert admin.get(url + "/attachments/photo.png").content == PNG + b"retaken"
    updates = admin.get(
        "/v1/audits", params={"action": "submission.attachment.update"}
    ).json()
    assert len(updates) == 1
    assert updates[0]["details"]["name"] == "photo.png"
    assert updates[0]["details"]["oldBlobId"] is not None
    assert updates[0]["details"]["newBlobId"] != updates[0]["details"]["oldBlobId"]


def test_different_xml_same_instance_id_409(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, instance(instance_id, name="Ada")).status_code == 201
        conflict = post(device, instance(instance_id, name="Changed"))
    assert conflict.status_code == 409
    assert instance_id in openrosa_message(conflict)
    stored = admin.get(submission_url("photo_survey", instance_id) + ".xml")
    assert b"<name>Ada</name>" in stored.content


def test_missing_xml_part_400(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, None, {"photo.png": PNG})
    assert response.status_code == 400
    assert "xml_submission_file" in openrosa_message(response)


def test_malformed_xml_and_missing_id_400(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        broken = post(device, b"<data id='photo_survey'><name>Ada</data>")
        no_id = post(device, b"<data><name>Ada</name></data>")
        not_xml = post(device, b"\x00\x01 not xml at all")
    assert broken.status_code == 400
    assert "line 1" in openrosa_message(broken)
    assert no_id.status_code == 400
    assert "'id'" in openrosa_message(no_id)
    assert not_xml.status_code == 400


def test_unsafe_xml_400(server, admin):
    publish_photo_form(admin)
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<data id="photo_survey">&lol2;</data>'
    )
    external = (
        b'<?xml version="1.0"?>\n<!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<data id="photo_survey">&x;</data>'
    )
    deep = b'<data id="photo_survey">' + b"<a>" * 500 + b"</a>" * 500 + b"</data>"
    with device_for(server, admin, "photo_survey") as device:
        responses = [post(device, body) for body in (laughs, external, deep)]
    for response in responses:
        assert response.status_code == 400
    assert "DOCTYPE" in openrosa_message(responses[0])
    assert "line 2" in openrosa_message(responses[0])
    assert "DOCTYPE" in openrosa_message(responses[1])
    assert "nested" in openrosa_message(responses[2])
    assert admin.get(submission_url("photo_survey")).json() == []


def test_unknown_form_and_version_404(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        unknown_form = post(device, instance(new_instance_id(), form_id="no_such_form"))
        unknown_version = post(device, instance(new_instance_id(), version="2099"))
        no_version = post(device, instance(new_instance_id(), version=None))
    assert unknown_form.status_code == 404
    assert unknown_version.status_code == 404
    assert "'2099'" in openrosa_message(unknown_version)
    assert no_version.status_code == 404
    assert "''" in openrosa_message(no_version)


def test_version_with_ampersand_and_quotes(server, admin):
    version = "1 & \"two\" <'3'>"
    publish(admin, photo_form("odd_version", version))
    with device_for(server, admin, "odd_version") as device:
        response = post(
            device, instance(new_instance_id(), form_id="odd_version", version=version)
        )
    assert response.status_code == 201, response.text


def test_closed_form_409_closing_accepts(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        admin.patch("/v1/projects/1/forms/photo_survey", json={"state": "closing"})
        assert post(device, instance(new_instance_id())).status_code == 201
        admin.patch("/v1/projects/1/forms/photo_survey", json={"state": "closed"})
        closed = post(device, instance(new_instance_id()))
    assert closed.status_code == 409
    assert "closed" in openrosa_message(closed)
    assert len(admin.get(submission_url("photo_survey")).json()) == 1


def test_unassigned_app_user_401(server, admin):
    publish_photo_form(admin)
    publish_photo_form(admin, "other_form")
    with device_for(server, admin, "other_form") as device:
        response = post(device, instance(new_instance_id()))
    assert response.status_code == 401
    assert admin.get(submission_url("photo_survey")).json() == []


def test_split_upload_ends_complete(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="photo.png", sign="sign.png")
    with device_for(server, admin, "photo_survey") as device:
        first = post(device, xml, {"photo.png": PNG}, incomplete=True)
        second = post(device, xml, {"sign.png": b"signature"})
    assert (first.status_code, second.status_code) == (201, 201)
    url = submission_url("photo_survey", instance_id)
    assert admin.get(url + "/attachments").json() == [
        {"name": "photo.png", "exists": True},
        {"name": "sign.png", "exists": True},
    ]
    assert admin.get(url + "/attachments/sign.png").content == b"signature"


def test_missing_attachment_listed_absent(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance(instance_id, photo="photo.png"))
    assert response.status_code == 201
    url = submission_url("photo_survey", instance_id)
    assert admin.get(url + "/attachments").json() == [
        {"name": "photo.png", "exists": False}
    ]
    assert admin.get(url + "/attachments/photo.png").status_code == 404


def test_identical_attachments_both_kept(server, admin):
    publish_photo_form(admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="a.png", sign="b.png")
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, xml, {"a.png": PNG, "b.png": PNG}).status_code == 201
    url = submission_url("photo_survey", instance_id)
    assert admin.get(url + "/attachments").json() == [
        {"name": "a.png", "exists": True},
        {"name": "b.png", "exists": True},
    ]
    assert admin.get(url + "/attachments/a.png").content == PNG
    assert admin.get(url + "/attachments/b.png").content == PNG


def test_attachment_name_with_path_400(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        for name in ("../photo.png", "dir/photo.png", "dir\\photo.png"):
            xml = instance(new_instance_id(), photo=name)
            response = post(device, xml, {name: PNG})
            assert response.status_code == 400, name
            assert name in openrosa_message(response)
    assert admin.get(submission_url("photo_survey")).json() == []


def test_body_over_limit_413(server, admin):
    publish_photo_form(admin)
    settings = server.app.state.settings
    saved = settings.max_submission_bytes
    settings.max_submission_bytes = 2000
    try:
        with device_for(server, admin, "photo_survey") as device:
            xml = instance(new_instance_id(), photo="photo.png")
            response = post(device, xml, {"photo.png": b"x" * 5000})
    finally:
        settings.max_submission_bytes = saved
    assert response.status_code == 413
    assert "2000" in openrosa_message(response)
    assert admin.get(submission_url("photo_survey")).json() == []
