"""Closed forms are out of reach for devices, as in ODK Central."""

from tests.conftest import make_user
from tests.odk_collect import assign, collect_client, create_app_user, publish, xform


def test_closed_form_download_refused(server, admin):
    form_id = publish(
        admin,
        xform("closed_survey", images=("logo.png",)),
        files={"logo.png": b"\x89PNG fake"},
    )
    app_user = create_app_user(admin, "tablet-1")
    assign(admin, app_user, form_id)
    with collect_client(server, app_user.token) as device:
        assert device.get(f"/forms/{form_id}.xml").status_code == 200
        assert device.get(f"/forms/{form_id}/attachments/logo.png").status_code == 200

    closed = admin.patch(f"/v1/projects/1/forms/{form_id}", json={"state": "closed"})
    assert closed.status_code == 200

    with collect_client(server, app_user.token) as device:
        form = device.get(f"/forms/{form_id}.xml")
        media = device.get(f"/forms/{form_id}/attachments/logo.png")
    assert form.status_code == 403
    assert "closed" in form.json()["message"]
    assert media.status_code == 403
    # Web users keep access to closed forms for review and export.
    assert admin.get(f"/v1/projects/1/forms/{form_id}.xml").status_code == 200


def test_closed_manifest_refused_to_data_collector(server, admin):
    form_id = publish(
        admin,
        xform("closed_manifest", images=("logo.png",)),
        files={"logo.png": b"\x89PNG fake"},
    )
    closed = admin.patch(f"/v1/projects/1/forms/{form_id}", json={"state": "closed"})
    assert closed.status_code == 200
    headers = {"X-OpenRosa-Version": "1.0"}
    url = f"/v1/projects/1/forms/{form_id}/manifest"

    with make_user(admin, server, "collector@kazi.test", "formfill") as collector:
        refused = collector.get(url, headers=headers)
    with make_user(admin, server, "manager@kazi.test", "manager") as manager:
        allowed = manager.get(url, headers=headers)

    assert refused.status_code == 403
    assert "closed" in refused.text
    assert allowed.status_code == 200
    assert "logo.png" in allowed.text
