"""Spreadsheets that openpyxl or xlrd cannot read are a 400.15 naming the fix."""

import io
import logging
import zipfile

import pytest

from app.forms import xlsform as conversion
from tests.forms_api.helpers import XLS, XLSX, snapshot, upload, xlsform

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FALLBACK = {"X-XlsForm-FormId-Fallback": "broken"}


@pytest.fixture
def unchanged(server):
    before = snapshot(server)
    yield
    assert snapshot(server) == before


def _with_encryption_flag(workbook: bytes) -> bytes:
    """Copy an .xlsx, marking every zip entry as encrypted (general purpose bit 0)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
    data = bytearray(buffer.getvalue())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start >= 0:
            data[start + flag_offset] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


def _assert_unreadable(response, *phrases: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == 400.15
    for phrase in phrases:
        assert phrase in body["message"]


def test_damaged_xls(admin, unchanged):
    response = upload(admin, OLE2_MAGIC + b"garbage", content_type=XLS, headers=FALLBACK)
    _assert_unreadable(response, "password-protected or damaged", "as .xlsx")
    assert "CompDocError" in response.json()["message"]


def test_xlsx_with_encrypted_entries(admin, unchanged):
    data = _with_encryption_flag(xlsform())
    response = upload(admin, data, content_type=XLSX)
    _assert_unreadable(response, "password-protected or damaged", "unprotected as .xlsx")


def test_password_protected_workbook(admin, unchanged):
    # Excel stores an encrypted workbook as an OLE2 file with an EncryptedPackage
    # stream; the bytes below carry the stream name but are otherwise damaged.
    data = OLE2_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    response = upload(admin, data, content_type=XLSX, headers=FALLBACK)
    _assert_unreadable(response, "password-protected", "Remove the password")


def test_truncated_xlsx_is_400_15(admin, unchanged):
    response = upload(admin, xlsform()[:2000], content_type=XLSX)
    _assert_unreadable(response, "not a valid zip archive", "as .xlsx")


def test_unexpected_read_error_logged(admin, unchanged, monkeypatch, caplog):
    class SurpriseError(Exception):
        pass

    def fail(_data):
        raise SurpriseError("reader bug")

    monkeypatch.setattr(conversion, "xlsx_to_dict", fail)
    caplog.set_level(logging.INFO, logger="app.forms.xlsform")
    response = upload(admin, xlsform(), content_type=XLSX)
    _assert_unreadable(response, "SurpriseError: reader bug", "as .xlsx")
    warned = [
        r
        for r in caplog.records
        if r.name == "app.forms.xlsform" and r.levelno == logging.WARNING
    ]
    assert len(warned) == 1
    assert "type=SurpriseError" in warned[0].getMessage()


def test_expected_read_error_not_warned(admin, unchanged, caplog):
    caplog.set_level(logging.INFO, logger="app.forms.xlsform")
    response = upload(admin, OLE2_MAGIC + b"garbage", content_type=XLS, headers=FALLBACK)
    assert response.status_code == 400
    levels = [r.levelno for r in caplog.records if r.name == "app.forms.xlsform"]
    assert logging.INFO in levels
    assert logging.WARNING not in levels
