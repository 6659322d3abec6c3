"""The OpenRosa manifest and media downloads, read the way ODK Collect reads them."""

import hashlib
from urllib.parse import urlsplit

from odk_collect import (
    assign,
    collect_client,
    create_app_user,
    openrosa_message,
    parse_form_list,
    parse_manifest,
    publish,
    xform,
)

MARKETS_CSV = b"name,label\nkariakoo,Kariakoo\nmwenge,Mwenge\n"
LOGO_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _md5(data: bytes) -> str:
    return "md5:" + hashlib.md5(data).hexdigest()  # noqa: S324 - OpenRosa hash


def _prices_form(admin, app_user=None, files=None):
    definition = xform(
        "prices", "Prices", csv_files=("markets.csv",), images=("logo.png", "missing.png")
    )
    form_id = publish(
        admin,
        definition,
        files=files or {"markets.csv": MARKETS_CSV, "logo.png": LOGO_PNG},
    )
    if app_user is not None:
        assign(admin, app_user, form_id)
    return form_id


def _manifest(server, app_user, form_id="prices", **params):
    with collect_client(server, app_user.token) as client:
        listed = parse_form_list(client.get("/formList"))
        url = next(f["manifestUrl"] for f in listed if f["formID"] == form_id)
        return client.get(url, params=params)


def test_manifest_headers_and_root(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)

    response = _manifest(server, app_user, deviceID="collect:abc")

    assert response.status_code == 200
    assert "text/xml" in response.headers["content-type"]
    assert response.headers["x-openrosa-version"] == "1.0"
    assert parse_manifest(response)


def test_manifest_entries(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)

    files = parse_manifest(_manifest(server, app_user))

    assert [f["filename"] for f in files] == ["logo.png", "markets.csv"]
    prefix = f"{server.url}/v1/key/{app_user.token}/projects/1/forms/prices/attachments/"
    for item in files:
        assert "/" not in item["filename"]
        assert ".." not in item["filename"]
        assert item["hash"].startswith("md5:")
        assert item["downloadUrl"] == prefix + item["filename"]
        assert urlsplit(item["downloadUrl"]).netloc == urlsplit(server.url).netloc


def test_hash_matches_downloaded_bytes(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)
    files = parse_manifest(_manifest(server, app_user))

    with collect_client(server, app_user.token) as client:
        for item in files:
            download = client.get(item["downloadUrl"] + "?deviceID=collect:abc")
            assert download.status_code == 200
            assert item["hash"] == _md5(download.content)


def test_missing_attachment_omitted(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)

    names = [f["filename"] for f in parse_manifest(_manifest(server, app_user))]

    assert "missing.png" not in names


def test_form_without_uploads_has_empty_manifest(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user, files={"markets.csv": MARKETS_CSV})
    admin.post("/v1/projects/1/forms/prices/draft")
    admin.delete("/v1/projects/1/forms/prices/draft/attachments/markets.csv")
    assert admin.post("/v1/projects/1/forms/prices/draft/publish?version=2").is_success

    response = _manifest(server, app_user)

    assert response.status_code == 200
    assert parse_manifest(response) == []


def test_hash_changes_only_with_bytes(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)
    before = {
        f["filename"]: f["hash"] for f in parse_manifest(_manifest(server, app_user))
    }

    # A new version with the same logo and a changed CSV.
    assert admin.post("/v1/projects/1/forms/prices/draft").is_success
    changed_csv = MARKETS_CSV + b"tandale,Tandale\n"
    uploaded = admin.post(
        "/v1/projects/1/forms/prices/draft/attachments/markets.csv", content=changed_csv
    )
    assert uploaded.is_success
    assert admin.post("/v1/projects/1/forms/prices/draft/publish?version=2").is_success
    after = {
        f["filename"]: f["hash"] for f in parse_manifest(_manifest(server, app_user))
    }

    assert after["logo.png"] == before["logo.png"]
    assert after["markets.csv"] != before["markets.csv"]
    assert after["markets.csv"] == _md5(changed_csv)


def test_media_etag_and_304(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)
    files = parse_manifest(_manifest(server, app_user))
    url = next(f["downloadUrl"] for f in files if f["filename"] == "markets.csv")

    with collect_client(server, app_user.token) as client:
        first = client.get(url)
        cached = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        stale = client.get(url, headers={"If-None-Match": '"0123"'})

    assert first.status_code == 200
    assert first.headers["etag"]
    assert cached.status_code == 304
    assert cached.content == b""
    assert stale.status_code == 200
    assert stale.content == MARKETS_CSV


def test_manifest_needs_openrosa_header(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)

    with collect_client(server, app_user.token) as client:
        del client.headers["X-OpenRosa-Version"]
        response = client.get("/forms/prices/manifest")

    assert response.status_code == 400
    assert "X-OpenRosa-Version" in openrosa_message(response)


def test_unassigned_form_manifest_forbidden(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin)

    with collect_client(server, app_user.token) as client:
        manifest = client.get("/forms/prices/manifest")
        media = client.get("/forms/prices/attachments/markets.csv")

    assert manifest.status_code == 403
    assert "text/xml" in manifest.headers["content-type"]
    assert media.status_code == 403


def test_closing_form_manifest_readable(server, admin):
    app_user = create_app_user(admin)
    _prices_form(admin, app_user)
    assert admin.patch(
        "/v1/projects/1/forms/prices", json={"state": "closing"}
    ).is_success

    with collect_client(server, app_user.token) as client:
        closing = client.get("/forms/prices/manifest")
        assert admin.patch(
            "/v1/projects/1/forms/prices", json={"state": "closed"}
        ).is_success
        closed = client.get("/forms/prices/manifest")

    assert closing.status_code == 200
    assert closed.status_code == 403


def test_unknown_form_manifest_not_found(server, admin):
    with collect_client(
        server,
        headers={"X-Forwarded-Proto": "https"},
        auth=("admin@kazi.test", "correct horse battery staple"),
    ) as client:
        response = client.get("/forms/nothing/manifest")

    assert response.status_code == 404
    assert "nothing" in openrosa_message(response)
