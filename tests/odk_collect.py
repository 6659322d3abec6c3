"""Test helpers that set up forms and app users and talk to Kazi as ODK Collect does."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

import httpx
from defusedxml import ElementTree as ET

FORM_LIST_NS = "{http://openrosa.org/xforms/xformsList}"
MANIFEST_NS = "{http://openrosa.org/xforms/xformsManifest}"
RESPONSE_NS = "{http://openrosa.org/http/response}"

# What ODK Collect v2024.3 sends on every request. Its Date header uses the Java
# pattern "E, dd MMM yyyy hh:mm:ss zz": a 12-hour clock without AM/PM, so servers
# must not check it.
COLLECT_HEADERS = {
    "User-Agent": "org.odk.collect.android/v2024.3.4 okhttp/4.12.0 Dalvik/2.1.0 "
    "(Linux; U; Android 13; Pixel 6)",
    "X-OpenRosa-Version": "1.0",
    "Date": "Fri, 04 Dec 2026 01:06:51 GMT",
    "Accept-Encoding": "gzip",
}


def xform(
    form_id: str,
    title: str = "",
    version: str | None = "1",
    csv_files: tuple[str, ...] = (),
    images: tuple[str, ...] = (),
) -> bytes:
    """Build a small XForm, optionally referencing CSV files and label images."""
    instances = "".join(
        f'<instance id="{name.removesuffix(".csv")}" src="jr://file-csv/{name}"/>'
        for name in csv_files
    )
    itext = ""
    if images:
        texts = "".join(
            f'<text id="img{index}"><value form="image">jr://images/{image}</value></text>'
            for index, image in enumerate(images)
        )
        itext = f'<itext><translation default="true()" lang="default">{texts}'
        itext += "</translation></itext>"
    version_attr = f' version="{version}"' if version is not None else ""
    return (
        '<?xml version="1.0"?>'
        '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"'
        ' xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">'
        f"<h:head><h:title>{escape(title)}</h:title><model>{itext}"
        f'<instance><data id="{form_id}"{version_attr}><name/>'
        "<meta><instanceID/></meta></data></instance>"
        f"{instances}"
        '<bind nodeset="/data/name" type="string"/>'
        '<bind nodeset="/data/meta/instanceID" type="string" readonly="true()"'
        ' jr:preload="uid"/>'
        '</model></h:head><h:body><input ref="/data/name"><label>Name</label></input>'
        "</h:body></h:html>"
    ).encode()


def publish(
    admin: httpx.Client,
    definition: bytes,
    files: dict[str, bytes] | None = None,
    project_id: int = 1,
    content_type: str = "application/xml",
    fallback_form_id: str | None = None,
) -> str:
    """Create a form, upload its attachments to the draft, publish it; return its ID."""
    headers = {"Content-Type": content_type}
    if fallback_form_id:
        headers["X-XlsForm-FormId-Fallback"] = fallback_form_id
    created = admin.post(
        f"/v1/projects/{project_id}/forms?publish=false&ignoreWarnings=true",
        content=definition,
        headers=headers,
    )
    assert created.status_code == 200, created.text
    form_id = created.json()["xmlFormId"]
    form_url = f"/v1/projects/{project_id}/forms/{form_id}"
    for name, data in (files or {}).items():
        uploaded = admin.post(f"{form_url}/draft/attachments/{name}", content=data)
        assert uploaded.status_code == 200, uploaded.text
    published = admin.post(f"{form_url}/draft/publish")
    assert published.status_code == 200, published.text
    return form_id


@dataclass
class AppUser:
    id: int
    token: str
    project_id: int


def create_app_user(
    admin: httpx.Client, name: str = "collector", project_id: int = 1
) -> AppUser:
    response = admin.post(
        f"/v1/projects/{project_id}/app-users", json={"displayName": name}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return AppUser(body["id"], body["token"], project_id)


def assign(admin: httpx.Client, app_user: AppUser, form_id: str) -> None:
    """Let the app user list and fill the form, with role id 2 as pyodk does."""
    response = admin.post(
        f"/v1/projects/{app_user.project_id}/forms/{form_id}/assignments/2/{app_user.id}"
    )
    assert response.status_code == 200, response.text


def collect_client(
    server, token: str | None = None, project_id: int = 1, **kwargs
) -> httpx.Client:
    """Open a client whose base URL is what Collect stores as ``server_url``."""
    prefix = f"/v1/key/{token}" if token else "/v1"
    headers = {**COLLECT_HEADERS, **kwargs.pop("headers", {})}
    return httpx.Client(
        base_url=f"{server.url}{prefix}/projects/{project_id}",
        headers=headers,
        timeout=60,
        **kwargs,
    )


def parse_form_list(response: httpx.Response) -> list[dict[str, str | None]]:
    """Read a form list as Collect does: every xform child element by local name."""
    root = ET.fromstring(response.content)
    assert root.tag == f"{FORM_LIST_NS}xforms", root.tag
    forms = []
    for item in root.findall(f"{FORM_LIST_NS}xform"):
        fields: dict[str, str | None] = {}
        for child in item:
            assert child.tag.startswith(FORM_LIST_NS), child.tag
            fields[child.tag.removeprefix(FORM_LIST_NS)] = child.text
        forms.append(fields)
    return forms


def parse_manifest(response: httpx.Response) -> list[dict[str, str | None]]:
    root = ET.fromstring(response.content)
    assert root.tag == f"{MANIFEST_NS}manifest", root.tag
    files = []
    for item in root.findall(f"{MANIFEST_NS}mediaFile"):
        fields = {child.tag.removeprefix(MANIFEST_NS): child.text for child in item}
        fields.update({f"@{key}": value for key, value in item.attrib.items()})
        files.append(fields)
    return files


def openrosa_message(response: httpx.Response) -> str:
    root = ET.fromstring(response.content)
    assert root.tag == f"{RESPONSE_NS}OpenRosaResponse", root.tag
    message = root.find(f"{RESPONSE_NS}message")
    assert message is not None
    return message.text or ""
