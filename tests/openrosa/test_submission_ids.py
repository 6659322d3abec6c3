"""Instance IDs that could not be addressed through the API afterwards are rejected."""

import pytest

from tests.odk_collect import openrosa_message
from tests.submissions.helpers import (
    device_for,
    instance,
    post,
    publish_photo_form,
    submission_url,
)


@pytest.mark.parametrize(
    "instance_id",
    ["../../../etc/passwd", "uuid:a/b", "uuid:a\\b", "uuid:" + "x" * 250],
)
def test_unaddressable_instance_id_400(server, admin, instance_id):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance(instance_id))
    assert response.status_code == 400
    assert "instanceID" in openrosa_message(response)
    assert admin.get(submission_url("photo_survey")).json() == []


def test_control_character_in_instance_id_400(server, admin):
    publish_photo_form(admin)
    with device_for(server, admin, "photo_survey") as device:
        response = post(device, instance("uuid:abc&#1;def"))
    assert response.status_code == 400
    assert admin.get(submission_url("photo_survey")).json() == []
