"""XLSForm to XForm conversion with pyxform, inside the server process.

Spreadsheets are hostile until parsed: an ``.xlsx`` is a zip file, so its entries are
counted and their uncompressed size checked before pyxform opens it.
"""

import io
import logging
import zipfile
from dataclasses import dataclass

from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from app import errors
from app.forms.xform import check_form_id, set_root_attribute

logger = logging.getLogger(__name__)

XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel": ".xls",
}
# pyxform reads settings from the first row under the header row.
SETTINGS_FORM_ID = "the form_id column of the 'settings' sheet (row 2)"
MAX_ZIP_ENTRIES = 10_000
MAX_COMPRESSION_RATIO = 200


@dataclass
class Conversion:
    xform: str
    warnings: list[str]


def file_type(content_type: str | None, data: bytes) -> str:
    """Pick the spreadsheet format from the bytes themselves; the header is a hint."""
    if data.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return ".xls"
    if data.lstrip()[:1] == b"|":
        raise errors.unexpected_value(
            "body",
            f"{len(data)} bytes of {content_type or 'unknown type'}",
            "the upload looks like an XLSForm written as a markdown table, which this "
            "server does not convert; save the form as .xlsx and upload that file",
        )
    raise errors.unexpected_value(
        "body",
        f"{len(data)} bytes of {content_type or 'unknown type'}",
        "the upload is not an .xlsx or .xls spreadsheet; send the XLSForm file itself or "
        "an XForm with Content-Type application/xml",
    )


def check_zip(data: bytes, max_unzipped: int) -> None:
    """Reject zip bombs (too many entries, too large unpacked, too highly compressed)
    and zip files that are not .xlsx workbooks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise errors.unexpected_value(
            "body", "xlsx", f"the .xlsx file is not a valid zip archive ({error})"
        ) from error
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise errors.unexpected_value(
            "body",
            f"{len(entries)} zip entries",
            f"an .xlsx may hold at most {MAX_ZIP_ENTRIES}",
        )
    total = sum(entry.file_size for entry in entries)
    if total > max_unzipped:
        raise errors.payload_too_large(max_unzipped, "uncompressed .xlsx content")
    compressed = max(sum(entry.compress_size for entry in entries), 1)
    if total > 1_000_000 and total / compressed > MAX_COMPRESSION_RATIO:
        raise errors.unexpected_value(
            "body",
            f"compression ratio {total // compressed}:1",
            "the .xlsx unpacks to far more than a spreadsheet needs (a zip bomb?); "
            "save it again from a spreadsheet program",
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise errors.unexpected_value(
            "body",
            "zip file",
            "the upload is a zip file but not an .xlsx workbook (it has no "
            "xl/workbook.xml); save the XLSForm from a spreadsheet program as .xlsx",
        )


def to_xform(data: bytes, kind: str, fallback_form_id: str | None) -> Conversion:
    """Convert an XLSForm; errors name the sheet and row as pyxform reports them."""
    warnings: list[str] = []
    try:
        definition = get_xlsform(data, file_type=kind)
        settings = (definition.settings or [{}])[0]
        form_id = settings.get("form_id") or settings.get("id_string")
        if form_id:
            check_form_id(str(form_id), where=SETTINGS_FORM_ID)
        result = convert(data, warnings=warnings, file_type=kind)
    except PyXFormError as error:
        raise errors.xlsform_invalid(str(error), warnings) from error
    except (ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as error:
        logger.info("xlsform conversion failed error=%r", error)
        raise errors.xlsform_invalid(
            f"the spreadsheet could not be read as an XLSForm ({type(error).__name__}: "
            f"{error})",
            warnings,
        ) from error
    xform = result.xform
    if not form_id:
        if not fallback_form_id:
            raise errors.xlsform_invalid(
                "the settings sheet has no form_id. Add a form_id column to the settings "
                "sheet, or send the header X-XlsForm-FormId-Fallback with the ID to use."
            )
        check_form_id(fallback_form_id, where="the X-XlsForm-FormId-Fallback header")
        xform = set_root_attribute(xform, "id", fallback_form_id)
    return Conversion(xform=xform, warnings=warnings)
