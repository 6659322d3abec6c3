"""Hostile or broken form uploads get a clear 4xx and leave nothing stored."""

import io
import threading
import time
import zipfile

import httpx
import pytest

from tests.forms_api.helpers import FORMS, XLSX, snapshot, upload, xform, xlsform

ZIP_BOMB_BYTES = 200 * 1024 * 1024


@pytest.fixture
def unchanged(server, admin):
    """Assert after the test that no form, blob, file or audit entry was added."""
    before = snapshot(server)
    audits = len(admin.get("/v1/audits").json())
    forms = admin.get("/v1/projects/1/forms").json()
    yield
    assert snapshot(server) == before
    assert len(admin.get("/v1/audits").json()) == audits
    assert admin.get("/v1/projects/1/forms").json() == forms


def _zip_bomb(unpacked: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def test_neither_spreadsheet_nor_xform(admin, unchanged):
    response = upload(admin, b"%PDF-1.7 not a form", content_type="application/pdf")
    assert response.status_code == 400
    message = response.json()["message"]
    assert ".xlsx" in message
    assert "XForm" in message


def test_empty_body(admin, unchanged):
    response = upload(admin, b"", content_type="application/xml")
    assert response.status_code == 400
    assert "XForm or XLSForm" in response.json()["message"]


def test_truncated_xlsx(admin, unchanged):
    data = (FORMS / "onadata__tutorial.xlsx").read_bytes()[:2000]
    response = upload(admin, data, content_type=XLSX)
    assert response.status_code == 400
    assert "zip" in response.json()["message"]


def test_xlsx_zip_bomb_rejected(admin, unchanged):
    bomb = _zip_bomb(ZIP_BOMB_BYTES)
    assert len(bomb) < 1_000_000
    response = upload(admin, bomb, content_type=XLSX)
    assert response.status_code == 413
    assert "uncompressed" in response.json()["message"]


def test_xlsx_compression_ratio_rejected(admin, unchanged):
    response = upload(admin, _zip_bomb(20 * 1024 * 1024), content_type=XLSX)
    assert response.status_code == 400
    assert "compression ratio" in response.json()["message"]


def test_body_over_limit_rejected(server, admin, unchanged):
    limit = server.settings.max_form_bytes
    response = upload(admin, b"<" + bytes(limit), content_type="application/xml")
    assert response.status_code == 413
    assert str(limit) in response.json()["message"]


def test_chunked_body_over_limit_rejected(server, admin, unchanged):
    limit = server.settings.max_form_bytes

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield bytes(65536)

    response = admin.post(
        "/v1/projects/1/forms",
        content=chunks(),
        headers={"Content-Type": "application/xml"},
    )
    assert response.status_code == 413


DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE h:html [<!ENTITY x "y">]>\n'
    + xform().split("\n", 1)[1]
)
EXTERNAL = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    "<data>&secret;</data>"
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<lolz>&lol9;</lolz>"
)


@pytest.mark.parametrize(
    "document", [DTD, EXTERNAL, LAUGHS], ids=["dtd", "external", "laughs"]
)
def test_xform_with_doctype_rejected(admin, unchanged, document):
    response = upload(admin, document, content_type="application/xml")
    assert response.status_code == 400
    body = response.json()
    assert "DOCTYPE" in body["message"]
    assert body["details"]["line"] == 2


def test_malformed_xform_names_line(admin, unchanged):
    broken = xform().replace("</h:head>", "")
    response = upload(admin, broken, content_type="application/xml")
    assert response.status_code == 400
    assert response.json()["details"]["line"] is not None
    assert "line" in response.json()["message"]


def test_xform_not_utf8(admin, unchanged):
    latin = xform(title="Caf\u00e9").encode("latin-1")
    response = upload(admin, latin, content_type="application/xml")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("a&amp;b", "a&b"),
        ("say&quot;hi&quot;", 'say"hi"'),
        ("it&apos;s", "it's"),
        ("fomu_ya_kaya_\u00e9", "fomu_ya_kaya_\u00e9"),
        (
            "\u0627\u0633\u062a\u0628\u064a\u0627\u0646",
            "\u0627\u0633\u062a\u0628\u064a\u0627\u0646",
        ),
    ],
)
def test_bad_form_id_in_xform(admin, unchanged, attribute, value):
    response = upload(admin, xform(form_id=attribute), content_type="application/xml")
    assert response.status_code == 400
    body = response.json()
    assert repr(value) in body["message"]
    assert "ASCII letters" in body["message"]


@pytest.mark.parametrize("value", ["a&b", 'say"hi"', "\u00e9tude"])
def test_bad_form_id_in_xlsform(admin, unchanged, value):
    response = upload(admin, xlsform(form_id=value), content_type=XLSX)
    assert response.status_code == 400
    message = response.json()["message"]
    assert repr(value) in message
    assert "'settings' sheet" in message


def test_bad_form_id_in_fallback_header(admin, unchanged):
    response = upload(
        admin,
        xlsform(form_id=None),
        content_type=XLSX,
        headers={"X-XlsForm-FormId-Fallback": "a&b"},
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "'a&b'" in message
    assert "X-XlsForm-FormId-Fallback" in message


def test_version_with_markup_accepted_from_xlsform(admin):
    version = 'v1 & "quoted" <b>'
    response = upload(
        admin, xlsform(form_id="marked", version=version), params={"publish": "true"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == version
    served = admin.get("/v1/projects/1/forms/marked.xml").text
    assert 'version="v1 &amp; &quot;quoted&quot; &lt;b&gt;"' in served
    assert admin.get("/v1/projects/1/forms/marked").json()["version"] == version


def test_version_with_markup_accepted_from_xform(admin):
    response = upload(
        admin,
        xform(form_id="marked", version="a&amp;b&quot;c"),
        params={"publish": "true"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 'a&b"c'
    served = admin.get("/v1/projects/1/forms/marked.xml").text
    assert 'version="a&amp;b&quot;c"' in served


def test_version_with_line_break_rejected(admin, unchanged):
    response = upload(admin, xform(version="1&#10;2"), content_type="application/xml")
    assert response.status_code == 400
    assert "version" in response.json()["message"]


@pytest.mark.parametrize("version", ["2026/12", "a\\b"])
def test_version_with_slash_rejected(admin, unchanged, version):
    response = upload(admin, xform(version=version), content_type="application/xml")
    assert response.status_code == 400
    assert "remove '/'" in response.json()["message"]


def test_upload_does_not_block_other_requests(server, admin):
    """pyxform runs in the threadpool, so other requests are answered meanwhile."""
    # About 1 s of conversion (pyxform 4.5, one core of a shared 2-CPU machine).
    rows = [["text", f"q{i}", f"Question {i}"] for i in range(8000)]
    workbook = xlsform(form_id="many_questions", rows=rows)
    done = threading.Event()
    result = {}

    def convert():
        started = time.monotonic()
        result["response"] = upload(admin, workbook, content_type=XLSX)
        result["seconds"] = time.monotonic() - started
        done.set()

    worker = threading.Thread(target=convert)
    worker.start()
    slowest = 0.0
    probes = 0
    with httpx.Client(base_url=server.url, timeout=30) as other:
        while not done.is_set():
            started = time.monotonic()
            assert other.get("/healthz").status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            probes += 1
            time.sleep(0.02)
    worker.join()
    assert result["response"].status_code == 200, result["response"].text
    assert result["seconds"] > 0.5
    assert probes >= 5
    assert slowest < result["seconds"] / 2
