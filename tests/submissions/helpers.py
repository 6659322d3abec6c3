"""Forms, instances and multipart posts for the submission tests."""

import uuid
from xml.sax.saxutils import escape, quoteattr

import httpx

from tests.odk_collect import assign, collect_client, create_app_user, publish

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256))


def photo_form(form_id: str = "photo_survey", version: str | None = "1") -> bytes:
    """An XForm with a text question and two image questions (binary binds)."""
    version_attr = f" version={quoteattr(version)}" if version is not None else ""
    return (
        '<?xml version="1.0"?>'
        '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"'
        ' xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">'
        f"<h:head><h:title>Photo survey</h:title><model>"
        f'<instance><data id="{form_id}"{version_attr}><name/><photo/><sign/>'
        "<meta><instanceID/><instanceName/></meta></data></instance>"
        '<bind nodeset="/data/name" type="string"/>'
        '<bind nodeset="/data/photo" type="binary"/>'
        '<bind nodeset="/data/sign" type="binary"/>'
        '<bind nodeset="/data/meta/instanceID" type="string" readonly="true()"'
        ' jr:preload="uid"/>'
        '</model></h:head><h:body><input ref="/data/name"><label>Name</label></input>'
        '<upload ref="/data/photo" mediatype="image/*"><label>Photo</label></upload>'
        '<upload ref="/data/sign" mediatype="image/*"><label>Signature</label></upload>'
        "</h:body></h:html>"
    ).encode()


def new_instance_id() -> str:
    return f"uuid:{uuid.uuid4()}"


def instance(
    instance_id: str,
    *,
    form_id: str = "photo_survey",
    version: str | None = "1",
    name: str = "Ada",
    photo: str = "",
    sign: str = "",
    deprecated_id: str | None = None,
    instance_name: str | None = None,
) -> bytes:
    """Submission XML as Collect writes it for ``photo_form``."""
    version_attr = f" version={quoteattr(version)}" if version is not None else ""
    deprecated = f"<deprecatedID>{deprecated_id}</deprecatedID>" if deprecated_id else ""
    label = (
        f"<orx:instanceName>{escape(instance_name)}</orx:instanceName>"
        if instance_name
        else ""
    )
    return (
        f"<?xml version='1.0' ?><data id=\"{form_id}\"{version_attr}"
        ' xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">'
        f"<name>{escape(name)}</name><photo>{photo}</photo><sign>{sign}</sign>"
        f"<meta><instanceID>{instance_id}</instanceID>{deprecated}{label}</meta></data>"
    ).encode()


def multipart(
    xml: bytes | None,
    files: dict[str, bytes] | None = None,
    incomplete: bool = False,
    xml_type: str = "text/xml",
) -> list:
    parts = []
    if xml is not None:
        parts.append(("xml_submission_file", ("instance.xml", xml, xml_type)))
    for name, data in (files or {}).items():
        parts.append((name, (name, data, "application/octet-stream")))
    if incomplete:
        parts.append(("*isIncomplete*", (None, b"yes")))
    return parts


def post(
    device: httpx.Client,
    xml: bytes | None,
    files: dict[str, bytes] | None = None,
    incomplete: bool = False,
    xml_type: str = "text/xml",
    params: dict | None = None,
) -> httpx.Response:
    """POST one submission the way Collect does, to ``{server_url}/submission``."""
    return device.post(
        "/submission",
        files=multipart(xml, files, incomplete, xml_type),
        params=params or {"deviceID": "collect:TestDevice01"},
    )


def device_for(server, admin, *form_ids: str) -> httpx.Client:
    """Create an app user assigned to the forms and return a Collect-like client."""
    app_user = create_app_user(admin, "tablet-1")
    for form_id in form_ids:
        assign(admin, app_user, form_id)
    return collect_client(server, app_user.token)


def publish_photo_form(admin, form_id: str = "photo_survey", version: str = "1") -> str:
    return publish(admin, photo_form(form_id, version))


def submission_url(form_id: str, instance_id: str = "") -> str:
    url = f"/v1/projects/1/forms/{form_id}/submissions"
    return f"{url}/{instance_id}" if instance_id else url
