"""XLSForm to XForm conversion with pyxform, inside the server process.

Spreadsheets are hostile until parsed: an ``.xlsx`` is a zip file, so its entries are
counted and their uncompressed size checked before pyxform opens it.
"""

import dataclasses
import io
import logging
import zipfile
import zlib
from dataclasses import dataclass

from pyxform.errors import PyXFormError, PyXFormReadError
from pyxform.xls2json_backends import DefinitionData, xls_to_dict, xlsx_to_dict
from pyxform.xls2xform import convert
from xlrd.biffh import XLRDError
from xlrd.compdoc import CompDocError

from app import errors
from app.forms.xform import check_form_id

logger = logging.getLogger(__name__)

XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel": ".xls",
}
# pyxform reads settings from the first row under the header row.
SETTINGS_FORM_ID = "the form_id column of the 'settings' sheet (row 2)"
MAX_ZIP_ENTRIES = 10_000
MAX_COMPRESSION_RATIO = 200
# Bit 0 of a zip entry's general purpose flags: the entry is encrypted.
ZIP_ENCRYPTED_FLAG = 0x1
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# Exceptions that openpyxl, xlrd and zipfile raise on a damaged file. Other exception
# types from reading are logged at WARNING, because they may be bugs, not bad uploads.
READ_ERRORS = (zipfile.BadZipFile, XLRDError, CompDocError, zlib.error, EOFError)
# Exceptions besides PyXFormError that pyxform raises on sheets it cannot convert.
CONVERSION_ERRORS = (ValueError, KeyError, TypeError, IndexError)


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
    """Reject zip bombs (too many entries, too large unpacked, too highly compressed),
    encrypted entries and zip files that are not .xlsx workbooks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise errors.xlsform_invalid(
            f"the .xlsx file is not a valid zip archive ({error}); it is truncated or "
            "damaged. Save it again from a spreadsheet program as .xlsx and upload that "
            "file."
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
    encrypted = [e.filename for e in entries if e.flag_bits & ZIP_ENCRYPTED_FLAG]
    if encrypted:
        raise errors.xlsform_invalid(
            f"the workbook is password-protected or damaged (zip entry "
            f"'{encrypted[0]}' is encrypted). Save it unprotected as .xlsx and upload "
            "that file."
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise errors.xlsform_invalid(
            "the upload is a zip file but not an .xlsx workbook (it has no "
            "xl/workbook.xml). Save the XLSForm from a spreadsheet program as .xlsx."
        )


def to_xform(data: bytes, kind: str, fallback_form_id: str | None) -> Conversion:
    """Convert an XLSForm; errors name the sheet and row as pyxform reports them."""
    workbook = _read_workbook(data, kind)
    settings = (workbook.settings or [{}])[0]
    form_id = settings.get("form_id") or settings.get("id_string")
    if form_id:
        check_form_id(str(form_id), where=SETTINGS_FORM_ID)
    elif fallback_form_id:
        check_form_id(fallback_form_id, where="the X-XlsForm-FormId-Fallback header")
        # pyxform-http (app/main.py), which ODK Central runs, saves the upload under
        # the fallback name, so pyxform takes the form ID and default title from it.
        workbook.fallback_form_name = fallback_form_id
    else:
        raise errors.xlsform_invalid(
            "the settings sheet has no form_id. Add a form_id column to the settings "
            "sheet, or send the header X-XlsForm-FormId-Fallback with the ID to use."
        )
    warnings: list[str] = []
    sheets = {f.name: getattr(workbook, f.name) for f in dataclasses.fields(workbook)}
    try:
        result = convert(sheets, warnings=warnings)
    except PyXFormError as error:
        raise errors.xlsform_invalid(str(error), warnings) from error
    except Exception as error:
        if not isinstance(error, CONVERSION_ERRORS):
            logger.warning(
                "xlsform conversion failed with unexpected error type=%s error=%s",
                type(error).__name__,
                error,
                exc_info=True,
            )
        else:
            logger.info("xlsform conversion failed error=%r", error)
        raise errors.xlsform_invalid(
            f"the spreadsheet could not be converted as an XLSForm "
            f"({type(error).__name__}: {error})",
            warnings,
        ) from error
    return Conversion(xform=result.xform, warnings=warnings)


def _read_workbook(data: bytes, kind: str) -> DefinitionData:
    """Read the sheets with openpyxl (.xlsx) or xlrd (.xls) through pyxform.

    Any failure to read the file is the uploader's to fix, so it becomes a 400 whatever
    the library raised. pyxform errors about the sheets' content (a duplicate column
    header, an ambiguous date) keep pyxform's message.
    """
    reader = xlsx_to_dict if kind == ".xlsx" else xls_to_dict
    try:
        return DefinitionData(**reader(data))
    except PyXFormReadError as error:
        cause = error.__cause__ or error
        logger.info("spreadsheet unreadable kind=%s error=%r", kind, cause)
        raise _unreadable(data, kind, cause) from error
    except PyXFormError as error:
        raise errors.xlsform_invalid(str(error)) from error
    except Exception as error:
        if isinstance(error, READ_ERRORS):
            logger.info("spreadsheet unreadable kind=%s error=%r", kind, error)
        else:
            logger.warning(
                "spreadsheet read failed with unexpected error type=%s kind=%s error=%s",
                type(error).__name__,
                kind,
                error,
                exc_info=True,
            )
        raise _unreadable(data, kind, error) from error


def _unreadable(data: bytes, kind: str, error: BaseException) -> errors.Problem:
    reason = f"{type(error).__name__}: {error}"
    # Excel saves a password-protected workbook (.xlsx or .xls) as an OLE2 compound
    # file whose directory lists an EncryptedPackage stream.
    if ENCRYPTED_PACKAGE in data:
        return errors.xlsform_invalid(
            f"the workbook is password-protected ({reason}). Remove the password in "
            "the spreadsheet program, save the form as .xlsx and upload that file."
        )
    return errors.xlsform_invalid(
        f"the {kind} workbook could not be read ({reason}); it is password-protected "
        "or damaged. Open it in a spreadsheet program, remove any password, save it "
        "unprotected as .xlsx and upload that file."
    )
