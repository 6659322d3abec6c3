"""Hostile requests: oversized ids, control characters, huge or malformed bodies."""

import json
import logging

import httpx
import pytest

from tests.forms_api.helpers import FORMS, publish_xform, upload
from tests.submissions.helpers import (
    device_for,
    instance,
    new_instance_id,
    post,
    publish_photo_form,
    submission_url,
)

BIG = str(2**63)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/v1/projects/{BIG}"),
        ("GET", f"/v1/projects/{2**70}"),
        ("GET", f"/v1/users/{BIG}"),
        ("GET", f"/v1/projects/1/app-users/{BIG}/qr"),
        ("POST", f"/v1/projects/1/assignments/1/{BIG}"),
        ("POST", f"/v1/assignments/admin/{BIG}"),
        ("DELETE", f"/v1/users/{BIG}"),
        ("GET", f"/v1/projects/{BIG}/forms"),
    ],
)
def test_oversized_ids_are_not_found(admin, method, path):
    response = admin.request(method, path)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == 404.1


def send_json(client: httpx.Client, method: str, path: str, body: dict):
    """Send ``body`` as ASCII-escaped JSON, which can carry a lone surrogate."""
    return client.request(
        method,
        path,
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )


# "\ud800" is a lone UTF-16 surrogate, which JSON can escape but UTF-8 cannot hold.
CONTROL = ["\u0000", "\u001b", "\n", "\ud800"]


@pytest.mark.parametrize("char", CONTROL)
def test_control_characters_rejected(server, admin, char):
    cases = [
        ("/v1/sessions", {"email": f"a{char}@kazi.test", "password": "x" * 12}, "email"),
        ("/v1/projects", {"name": f"Bad{char}name"}, "name"),
        ("/v1/users", {"email": f"u{char}@kazi.test"}, "email"),
        ("/v1/projects/1/app-users", {"displayName": f"tab{char}let"}, "displayName"),
    ]
    for path, body, field in cases:
        response = send_json(admin, "POST", path, body)
        assert response.status_code == 400, (path, response.text)
        assert field in response.json()["message"], (path, response.text)
    patched = send_json(admin, "PATCH", "/v1/projects/1", {"name": f"x{char}y"})
    assert patched.status_code == 400, patched.text
    assert "name" in patched.json()["message"]
    assert admin.get("/v1/projects/1").json()["name"] == "Tanzania pilot"
    assert len(admin.get("/v1/projects").json()) == 1


def test_description_allows_newlines_not_nul(admin):
    created = admin.post("/v1/projects", json={"name": "P", "description": "a\nb"})
    assert created.status_code == 200, created.text
    bad = admin.patch(f"/v1/projects/{created.json()['id']}", json={"description": "a\0"})
    assert bad.status_code == 400, bad.text
    assert "description" in bad.json()["message"]


@pytest.mark.parametrize(
    ("path", "body", "field", "limit"),
    [
        ("/v1/projects", {"name": "n" * 256}, "name", "255"),
        (
            "/v1/projects",
            {"name": "n", "description": "d" * 10_001},
            "description",
            "10000",
        ),
        ("/v1/users", {"email": "e" * 311 + "@kazi.test"}, "email", "320"),
        ("/v1/projects/1/app-users", {"displayName": "d" * 256}, "displayName", "255"),
    ],
)
def test_overlong_values_rejected(admin, path, body, field, limit):
    response = admin.post(path, json=body)
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert field in message
    assert limit in message


def test_patch_overlong_name_rejected(admin):
    response = admin.patch("/v1/projects/1", json={"name": "n" * 256})
    assert response.status_code == 400, response.text
    assert "255" in response.json()["message"]


def test_large_json_body_declared(admin):
    body = json.dumps({"name": "x", "description": "d" * (2 * 1024 * 1024)})
    response = admin.post(
        "/v1/projects", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert response.json()["code"] == 413.1


def test_large_json_body_streamed(admin):
    def chunks():
        yield b'{"name": "x", "description": "'
        for _ in range(40):
            yield b"d" * 65536
        yield b'"}'

    response = admin.post(
        "/v1/projects", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert len(admin.get("/v1/projects").json()) == 1


def test_malformed_json_names_position(admin):
    response = admin.post(
        "/v1/projects",
        content=b'{\n  "name": "x",\n  oops}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == 400.1
    assert "not valid JSON (line 3, column 3)" in body["message"]


def test_deeply_nested_json(admin):
    response = admin.post(
        "/v1/projects",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == 400.1
    assert "nested too deeply" in body["message"]


def test_missing_header_message(admin):
    response = admin.get("/v1/projects/1/formList")
    assert response.status_code == 400, response.text
    assert "is missing" in response.text
    assert "None" not in response.text


def test_zip_that_is_not_xlsx(admin, tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = upload(
        admin,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert "zip file but not an .xlsx workbook" in message
    assert "definition" not in message


def test_active_content_downloaded_inert(admin):
    created = upload(
        admin,
        FORMS / "pyxform__pull_data.xlsx",
        headers={"X-XlsForm-FormId-Fallback": "pull_data"},
    )
    assert created.status_code == 200, created.text
    base = (
        f"/v1/projects/1/forms/{created.json()['xmlFormId']}/draft/attachments/fruits.csv"
    )
    stored = admin.post(
        base, content=b"<script>alert(1)</script>", headers={"Content-Type": "text/html"}
    )
    assert stored.status_code == 200, stored.text
    response = admin.get(base)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment;")


def test_access_log_escapes_newlines(server, caplog):
    forged = "2026-12-04 15:00:00,000 INFO kazi.cli server stopped"
    with caplog.at_level(logging.INFO, logger="kazi.access"):
        with httpx.Client(base_url=server.url) as client:
            client.get("/v1/x%0A" + forged.replace(" ", "%20"))
    lines = [r.getMessage() for r in caplog.records if r.name == "kazi.access"]
    assert lines, "no access log line was written"
    assert all("\n" not in line for line in lines)
    assert any("/v1/x%0A2026-12-04%2015" in line for line in lines), lines


def test_unhandled_error_logged_once(tmp_path, caplog):
    """A route that raises is answered with 500.1 and one traceback in the log."""
    import threading
    import time

    import uvicorn

    from app.core import migrate
    from app.core.config import Settings
    from app.core.db import make_engine
    from app.main import create_app
    from tests.conftest import free_port

    url = f"sqlite:///{tmp_path / 'kazi.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app(Settings(data_dir=tmp_path, database_url=url))

    @app.get("/v1/failing")
    def failing():
        raise RuntimeError("deliberate failure")

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    with caplog.at_level(logging.INFO):
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/v1/failing", timeout=30)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            app.state.engine.dispose()
    assert response.status_code == 500
    assert response.json()["code"] == 500.1
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1, [r.getMessage() for r in tracebacks]
    assert tracebacks[0].getMessage() == "unhandled error method=GET path=/v1/failing"


def test_lone_surrogate_in_values_400(server, admin):
    publish_xform(admin)
    publish_photo_form(admin)
    instance_id = new_instance_id()
    with device_for(server, admin, "photo_survey") as device:
        assert post(device, instance(instance_id)).status_code == 201
    cases = [
        ("POST", "/v1/sessions", {"email": "admin@kazi.test", "password": "p\ud800" * 6}),
        ("PATCH", "/v1/projects/1/forms/simple", {"state": "\ud800"}),
        (
            "PATCH",
            submission_url("photo_survey", instance_id),
            {"reviewState": "\ud800"},
        ),
    ]
    for method, path, body in cases:
        response = send_json(admin, method, path, body)
        assert response.status_code == 400, (path, response.text)
        assert "D800" in response.json()["message"].upper(), (path, response.text)
    form = admin.get("/v1/projects/1/forms/simple").json()
    assert form["state"] == "open"
    submission = admin.get(submission_url("photo_survey", instance_id)).json()
    assert submission["reviewState"] is None
