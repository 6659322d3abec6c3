"""The OpenRosa form list and form downloads, read the way ODK Collect reads them."""

import hashlib

from conftest import FIXTURES
from defusedxml import ElementTree as ET
from odk_collect import (
    assign,
    collect_client,
    create_app_user,
    openrosa_message,
    parse_form_list,
    publish,
    xform,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XFORMS = "{http://www.w3.org/2002/xforms}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _fixture(name: str) -> bytes:
    return (FIXTURES / "forms" / name).read_bytes()


def _publish_corpus(admin) -> list[str]:
    """Publish real XLSForms (one with a CSV attachment) and an inline XForm."""
    tutorial = publish(
        admin,
        _fixture("onadata__tutorial.xlsx"),
        content_type=XLSX,
        fallback_form_id="tutorial",
    )
    pull_data = publish(
        admin,
        _fixture("pyxform__pull_data.xlsx"),
        files={"fruits.csv": _fixture("pyxform__pull_data.media/fruits.csv")},
        content_type=XLSX,
        fallback_form_id="pull_data",
    )
    inline = publish(admin, xform("household", "Household roster"))
    return [tutorial, pull_data, inline]


def _form_list(server, token, **params):
    with collect_client(server, token) as client:
        return client.get("/formList", params=params)


def test_form_list_headers(server, admin):
    form_id = publish(admin, xform("household", "Household roster"))
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    response = _form_list(server, app_user.token)

    assert response.status_code == 200
    assert "text/xml" in response.headers["content-type"]
    assert response.headers["x-openrosa-version"] == "1.0"
    assert response.headers["x-openrosa-accept-content-length"].isdigit()
    assert response.headers["content-language"] == "en"
    assert (
        response.headers.get_list("date") and len(response.headers.get_list("date")) == 1
    )
    root = ET.fromstring(response.content)
    assert root.tag == "{http://openrosa.org/xforms/xformsList}xforms"


def test_form_list_items_have_required_fields(server, admin):
    form_ids = _publish_corpus(admin)
    app_user = create_app_user(admin)
    for form_id in form_ids:
        assign(admin, app_user, form_id)

    forms = parse_form_list(_form_list(server, app_user.token))

    assert sorted(f["formID"] for f in forms) == sorted(form_ids)
    for item in forms:
        assert item["formID"]
        assert item["name"]
        assert item["downloadUrl"]
        assert "version" in item
        assert item["hash"].startswith("md5:")


def test_hash_is_md5_of_downloaded_bytes(server, admin):
    form_ids = _publish_corpus(admin)
    app_user = create_app_user(admin)
    for form_id in form_ids:
        assign(admin, app_user, form_id)
    forms = parse_form_list(_form_list(server, app_user.token))

    with collect_client(server, app_user.token) as client:
        for item in forms:
            # Collect appends deviceID to every URL it was given.
            download = client.get(item["downloadUrl"] + "?deviceID=collect:abc")
            assert download.status_code == 200, download.text
            digest = hashlib.md5(download.content).hexdigest()  # noqa: S324
            assert item["hash"] == f"md5:{digest}"

            root = ET.fromstring(download.content)
            model = root.find(f"{XHTML}head/{XFORMS}model")
            primary = next(
                i for i in model.findall(f"{XFORMS}instance") if "id" not in i.attrib
            )
            instance_root = primary[0]
            assert instance_root.get("id") == item["formID"]
            assert (instance_root.get("version") or None) == item["version"]


def test_device_id_does_not_change_list(server, admin):
    form_ids = _publish_corpus(admin)
    app_user = create_app_user(admin)
    for form_id in form_ids:
        assign(admin, app_user, form_id)

    plain = _form_list(server, app_user.token)
    with_device = _form_list(server, app_user.token, deviceID="collect:abc")

    assert with_device.status_code == 200
    assert with_device.content == plain.content


def test_form_id_filter(server, admin):
    form_ids = _publish_corpus(admin)
    app_user = create_app_user(admin)
    for form_id in form_ids:
        assign(admin, app_user, form_id)

    only = parse_form_list(_form_list(server, app_user.token, formID=form_ids[1]))
    unknown = _form_list(server, app_user.token, formID="no_such_form")

    assert [f["formID"] for f in only] == [form_ids[1]]
    assert unknown.status_code == 200
    assert parse_form_list(unknown) == []


def test_optional_parameters_tolerated(server, admin):
    form_id = publish(admin, xform("household", "Household roster"))
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    response = _form_list(
        server, app_user.token, verbose="true", listAllVersions="true", deviceID="x"
    )

    assert response.status_code == 200
    assert [f["formID"] for f in parse_form_list(response)] == [form_id]


def test_manifest_url_only_for_forms_with_files(server, admin):
    with_csv = publish(
        admin,
        xform("prices", "Prices", csv_files=("markets.csv",)),
        files={"markets.csv": b"name,label\na,A\n"},
    )
    # Expects an image that was never uploaded: still listed with a manifest URL.
    with_missing = publish(admin, xform("photos", "Photos", images=("logo.png",)))
    without = publish(admin, xform("plain", "Plain"))
    app_user = create_app_user(admin)
    for form_id in (with_csv, with_missing, without):
        assign(admin, app_user, form_id)

    forms = {f["formID"]: f for f in parse_form_list(_form_list(server, app_user.token))}

    base = f"{server.url}/v1/key/{app_user.token}/projects/1/forms"
    assert forms["prices"]["manifestUrl"] == f"{base}/prices/manifest"
    assert forms["photos"]["manifestUrl"] == f"{base}/photos/manifest"
    assert "manifestUrl" not in forms["plain"]


def test_only_open_published_forms_listed(server, admin):
    for form_id in ("open_form", "closing_form", "closed_form", "deleted_form"):
        publish(admin, xform(form_id, form_id))
    draft = admin.post(
        "/v1/projects/1/forms",
        content=xform("draft_form", "Draft"),
        headers={"Content-Type": "application/xml"},
    )
    assert draft.status_code == 200
    assert admin.patch(
        "/v1/projects/1/forms/closing_form", json={"state": "closing"}
    ).is_success
    assert admin.patch(
        "/v1/projects/1/forms/closed_form", json={"state": "closed"}
    ).is_success
    assert admin.delete("/v1/projects/1/forms/deleted_form").is_success

    basic_admin = _admin_over_https(server)
    response = basic_admin.get("/formList")

    assert response.status_code == 200
    assert [f["formID"] for f in parse_form_list(response)] == ["open_form"]


def test_reopened_form_listed_again(server, admin):
    form_id = publish(admin, xform("household", "Household roster"))
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)
    assert admin.patch(
        f"/v1/projects/1/forms/{form_id}", json={"state": "closed"}
    ).is_success
    assert parse_form_list(_form_list(server, app_user.token)) == []

    assert admin.patch(
        f"/v1/projects/1/forms/{form_id}", json={"state": "open"}
    ).is_success

    assert [f["formID"] for f in parse_form_list(_form_list(server, app_user.token))] == [
        form_id
    ]


def test_app_user_sees_only_assigned_forms(server, admin):
    for form_id in ("alpha", "beta", "gamma"):
        publish(admin, xform(form_id, form_id.title()))
    assigned = create_app_user(admin, "assigned")
    assign(admin, assigned, "beta")
    idle = create_app_user(admin, "idle")

    assigned_list = _form_list(server, assigned.token)
    idle_list = _form_list(server, idle.token)

    assert [f["formID"] for f in parse_form_list(assigned_list)] == ["beta"]
    assert idle_list.status_code == 200
    assert parse_form_list(idle_list) == []


def test_unassigned_form_download_forbidden(server, admin):
    publish(admin, xform("alpha", "Alpha"))
    publish(admin, xform("beta", "Beta"))
    app_user = create_app_user(admin)
    assign(admin, app_user, "alpha")

    with collect_client(server, app_user.token) as client:
        allowed = client.get("/forms/alpha.xml")
        refused = client.get("/forms/beta.xml")

    assert allowed.status_code == 200
    assert refused.status_code == 403


def test_forms_sorted_by_name(server, admin):
    publish(admin, xform("f1", "banana survey"))
    publish(admin, xform("f2", "Apple survey"))
    publish(admin, xform("f3", "cherry survey"))
    publish(admin, xform("f0", ""))  # no title: the form ID is its name

    forms = parse_form_list(_admin_over_https(server).get("/formList"))

    assert [f["name"] for f in forms] == [
        "Apple survey",
        "banana survey",
        "cherry survey",
        "f0",
    ]


def test_names_are_escaped(server, admin):
    publish(admin, xform("shops", "Shops & <markets>"))

    forms = parse_form_list(_admin_over_https(server).get("/formList"))

    assert forms[0]["name"] == "Shops & <markets>"


def test_missing_version_lists_empty(server, admin):
    publish(admin, xform("unversioned", "Unversioned", version=None))

    forms = parse_form_list(_admin_over_https(server).get("/formList"))

    assert forms[0]["version"] is None


def test_missing_openrosa_header_rejected(server, admin):
    app_user = create_app_user(admin)

    with collect_client(server, app_user.token) as client:
        del client.headers["X-OpenRosa-Version"]
        missing = client.get("/formList")
        wrong = client.get("/formList", headers={"X-OpenRosa-Version": "2.0"})

    assert missing.status_code == 400
    assert "text/xml" in missing.headers["content-type"]
    assert missing.headers["x-openrosa-version"] == "1.0"
    assert "X-OpenRosa-Version" in openrosa_message(missing)
    assert wrong.status_code == 400


def test_garbage_date_header_accepted(server, admin):
    app_user = create_app_user(admin)

    with collect_client(
        server, app_user.token, headers={"Date": "not a date at all"}
    ) as c:
        response = c.get("/formList")

    assert response.status_code == 200


def test_form_xml_download_with_etag(server, admin):
    form_id = publish(admin, xform("household", "Household roster"))
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)
    stored = admin.get(f"/v1/projects/1/forms/{form_id}.xml").content

    with collect_client(server, app_user.token) as client:
        first = client.get(f"/forms/{form_id}.xml", params={"deviceID": "collect:abc"})
        again = client.get(
            f"/forms/{form_id}.xml", headers={"If-None-Match": first.headers["etag"]}
        )

    assert first.status_code == 200
    assert first.content == stored
    assert again.status_code == 304


def _admin_over_https(server):
    """A Collect client logged in as the administrator with Basic auth behind TLS."""
    from conftest import ADMIN_EMAIL, ADMIN_PASSWORD

    return collect_client(
        server,
        auth=(ADMIN_EMAIL, ADMIN_PASSWORD),
        headers={"X-Forwarded-Proto": "https"},
    )
