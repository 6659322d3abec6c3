"""Helpers shared by the form API and security tests: uploads, sample forms, snapshots."""

from pathlib import Path

import httpx
from sqlalchemy import text

from tests.conftest import FIXTURES, LiveServer

FORMS = FIXTURES / "forms"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLS = "application/vnd.ms-excel"
CONTENT_TYPES = {".xlsx": XLSX, ".xls": XLS, ".xml": "application/xml"}
COUNTED_TABLES = ("form", "form_def", "form_attachment", "blob", "audit")


def upload(
    client: httpx.Client,
    body: Path | bytes | str,
    project_id: int = 1,
    *,
    content_type: str | None = None,
    params: dict | None = None,
    headers: dict | None = None,
    path: str = "",
) -> httpx.Response:
    """POST a form definition to the project's form collection (or a sub-path of it)."""
    if isinstance(body, Path):
        content_type = content_type or CONTENT_TYPES[body.suffix.lower()]
        body = body.read_bytes()
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = dict(headers or {})
    if content_type:
        headers["Content-Type"] = content_type
    return client.post(
        f"/v1/projects/{project_id}/forms{path}",
        content=body,
        params=params,
        headers=headers,
    )


def xform(form_id: str = "simple", version: str = "1", title: str = "Simple form") -> str:
    """A minimal valid XForm with one text question."""
    return (
        '<?xml version="1.0"?>\n'
        '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"'
        ' xmlns:jr="http://openrosa.org/javarosa">\n'
        f"<h:head><h:title>{title}</h:title><model><instance>"
        f'<data id="{form_id}" version="{version}">'
        "<name/><meta><instanceID/></meta></data>"
        "</instance>"
        '<bind nodeset="/data/name" type="string"/>'
        '<bind nodeset="/data/meta/instanceID" type="string" readonly="true()"'
        ' jr:preload="uid"/>'
        "</model></h:head>\n"
        '<h:body><input ref="/data/name"><label>Name</label></input></h:body>\n'
        "</h:html>\n"
    )


def publish_xform(client: httpx.Client, project_id: int = 1, **kwargs) -> dict:
    response = upload(client, xform(**kwargs), project_id, params={"publish": "true"})
    assert response.status_code == 200, response.text
    return response.json()


def snapshot(server: LiveServer) -> dict:
    """Row counts of the form and audit tables, and the files in the blob folder."""
    counts = {}
    with server.engine.connect() as connection:
        for table in COUNTED_TABLES:
            counts[table] = connection.execute(
                text(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            ).scalar()
    files = sorted(
        str(p.relative_to(server.settings.blob_dir))
        for p in server.settings.blob_dir.rglob("*")
        if p.is_file()
    )
    counts["blob files"] = files
    return counts


def xlsform(
    form_id: str | None = "made", version: str | None = "1", rows: list | None = None
) -> bytes:
    """Build a small .xlsx XLSForm in memory with openpyxl."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    for row in rows or [["text", "name", "Name"]]:
        survey.append(row)
    settings = book.create_sheet("settings")
    header, values = [], []
    for column, value in (("form_id", form_id), ("version", version)):
        if value is not None:
            header.append(column)
            values.append(value)
    settings.append(header or ["form_title"])
    settings.append(values or ["Made in a test"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
