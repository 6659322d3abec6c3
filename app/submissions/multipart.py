"""Streaming multipart/form-data reader for OpenRosa submission uploads.

Each part is spooled to a temporary file (kept in memory up to ``SPOOL_BYTES``), so a
100 MB upload does not sit in memory as one buffer, and the body stops being read as
soon as it passes the size limit. Part contents stay bytes, never decoded text,
because the submission XML is stored byte for byte.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from app import errors

SPOOL_BYTES = 1024 * 1024
# Collect sends at most 100 files per request; the margin allows the XML part and
# *isIncomplete* on top.
MAX_PARTS = 1000
# Collect fills each request with files up to X-OpenRosa-Accept-Content-Length, so the
# limit applies to the parts' contents. The body may exceed it by the part headers
# and boundaries, up to this many bytes.
FRAMING_ALLOWANCE = 1024 * 1024
XML_PART = "xml_submission_file"


@dataclass
class Part:
    """One part of the body: its form field name, file name, type and contents."""

    name: str
    filename: str | None
    content_type: str | None
    file: SpooledTemporaryFile = field(
        default_factory=lambda: SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by Upload.close
    )
    size: int = 0

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()


@dataclass
class Upload:
    """The parts of a multipart body, in the order they arrived."""

    parts: list[Part] = field(default_factory=list)

    def first(self, name: str) -> Part | None:
        return next((part for part in self.parts if part.name == name), None)

    def close(self) -> None:
        for part in self.parts:
            part.file.close()


def boundary_of(content_type: str | None) -> bytes:
    """Return the multipart boundary, or raise 400 naming what the client should send."""
    media, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if media != b"multipart/form-data" or not boundary:
        raise errors.not_multipart(content_type, XML_PART)
    return boundary


async def read_multipart(
    stream: AsyncIterator[bytes], content_type: str | None, limit: int
) -> Upload:
    """Parse a multipart body, raising 413 as soon as the parts' contents pass
    ``limit`` bytes or the whole body passes ``limit + FRAMING_ALLOWANCE``."""
    upload = Upload()
    finished = False
    headers: dict[bytes, bytes] = {}
    header_field = bytearray()
    header_value = bytearray()

    def on_part_begin() -> None:
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        if len(upload.parts) >= MAX_PARTS:
            raise errors.unexpected_value(
                "multipart body", f"{MAX_PARTS}+ parts", "send fewer files per request"
            )
        _disposition, options = parse_options_header(
            headers.get(b"content-disposition", b"")
        )
        filename = options.get(b"filename")
        upload.parts.append(
            Part(
                name=options.get(b"name", b"").decode("utf-8", "replace"),
                filename=filename.decode("utf-8", "replace") if filename else None,
                content_type=_text(headers.get(b"content-type")),
            )
        )

    def on_part_data(data: bytes, start: int, end: int) -> None:
        nonlocal content_bytes
        part = upload.parts[-1]
        part.file.write(data[start:end])
        part.size += end - start
        content_bytes += end - start

    def on_end() -> None:
        nonlocal finished
        finished = True

    parser = MultipartParser(
        boundary_of(content_type),
        {
            "on_end": on_end,
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
        },
    )
    received = 0
    content_bytes = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if received > limit + FRAMING_ALLOWANCE:
                raise errors.payload_too_large(limit, "submission")
            parser.write(chunk)
            if content_bytes > limit:
                raise errors.payload_too_large(limit, "submission")
        parser.finalize()
        if not finished:
            # A body cut off by a dropped connection would otherwise store a truncated
            # last file, and the resend of identical XML would keep it for good.
            raise errors.unparseable(
                "multipart/form-data",
                "the body ended before its closing boundary, so the upload was cut off; "
                "send it again",
            )
    except MultipartParseError as error:
        upload.close()
        raise errors.unparseable("multipart/form-data", str(error)) from error
    except BaseException:
        upload.close()
        raise
    return upload


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None
