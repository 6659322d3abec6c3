"""Collect settings QR codes: the PNG scans back to the payload Collect inflates."""

import base64
import io
import json
import re
import zlib

import zxingcpp
from odk_collect import (
    assign,
    collect_client,
    create_app_user,
    parse_form_list,
    publish,
    xform,
)
from PIL import Image

from app.app_users.qr import project_colour, project_icon


def _inflate(payload: str) -> dict:
    """Decode a payload the way Collect does: Base64, then java.util.zip.Inflater."""
    compressed = base64.b64decode(payload, validate=True)
    return json.loads(zlib.decompressobj().decompress(compressed).decode("utf-8"))


def test_png_scans_to_collect_settings(server, admin):
    app_user = create_app_user(admin, "collector-1")

    response = admin.get(f"/v1/projects/1/app-users/{app_user.id}/qr.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "no-store"
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    assert code.ec_level == "L"
    settings = _inflate(code.text)
    assert settings == {
        "general": {
            "server_url": f"{server.url}/v1/key/{app_user.token}/projects/1",
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {
            "name": "Tanzania pilot",
            "color": project_colour("Tanzania pilot"),
            "icon": "T",
        },
    }


def test_payload_is_zlib_then_base64(server, admin):
    app_user = create_app_user(admin)

    body = admin.get(f"/v1/projects/1/app-users/{app_user.id}/qr").json()
    png = admin.get(f"/v1/projects/1/app-users/{app_user.id}/qr.png").content

    payload = body["payload"]
    assert "\n" not in payload
    compressed = base64.b64decode(payload, validate=True)
    # The zlib wrapper of java.util.zip.Deflater: CMF 0x78 and a valid check byte.
    assert compressed[0] == 0x78
    assert (compressed[0] * 256 + compressed[1]) % 31 == 0
    assert _inflate(payload) == body["settings"]
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert code.text == payload


def test_server_url_connects_collect(server, admin):
    publish(admin, xform("household", "Household roster"))
    app_user = create_app_user(admin)
    assign(admin, app_user, "household")
    settings = admin.get(f"/v1/projects/1/app-users/{app_user.id}/qr").json()["settings"]

    server_url = settings["general"]["server_url"]
    with collect_client(server) as client:
        response = client.get(server_url.rstrip("/") + "/formList")

    assert response.status_code == 200
    assert [f["formID"] for f in parse_form_list(response)] == ["household"]


def test_project_colour_and_icon():
    assert project_colour("Tanzania pilot") == project_colour("Tanzania pilot")
    assert re.fullmatch(r"#[0-9a-f]{6}", project_colour("Tanzania pilot"))
    colours = {project_colour(f"Project {n}") for n in range(50)}
    assert len(colours) > 3
    assert project_icon("tanzania pilot") == "T"
    assert project_icon("  (2026) wave") == "2"
    assert project_icon("Ürümqi") == "Ü"
    assert project_icon("***") == "*"


def test_renamed_project_in_qr(admin):
    app_user = create_app_user(admin)
    assert admin.patch("/v1/projects/1", json={"name": "kenya tracer"}).status_code == 200

    settings = admin.get(f"/v1/projects/1/app-users/{app_user.id}/qr").json()["settings"]

    assert settings["project"] == {
        "name": "kenya tracer",
        "color": project_colour("kenya tracer"),
        "icon": "K",
    }


def test_revoked_app_user_has_no_qr(admin):
    app_user = create_app_user(admin)
    assert admin.delete(f"/v1/sessions/{app_user.token}").status_code == 200

    png = admin.get(f"/v1/projects/1/app-users/{app_user.id}/qr.png")
    text = admin.get(f"/v1/projects/1/app-users/{app_user.id}/qr")

    assert png.status_code == 404
    assert text.status_code == 404
    assert "revoked" in text.json()["message"]


def test_qr_checks_project_and_rights(server, admin):
    from conftest import make_user

    other = admin.post("/v1/projects", json={"name": "Kenya pilot"}).json()["id"]
    app_user = create_app_user(admin)
    collector = make_user(admin, server, "collector@kazi.test", role="formfill")

    wrong_project = admin.get(f"/v1/projects/{other}/app-users/{app_user.id}/qr")
    no_rights = collector.get(f"/v1/projects/1/app-users/{app_user.id}/qr.png")
    collector.close()

    assert wrong_project.status_code == 404
    assert no_rights.status_code == 403
