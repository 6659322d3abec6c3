"""Closed forms are out of reach for devices, as in ODK Central."""

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
