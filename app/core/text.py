"""Checks for client-supplied names, emails and descriptions before they are stored.

PostgreSQL rejects NUL in text columns, and other C0 control characters in a name
break logs, CSV exports and the devices that show it, so both are rejected up front.
"""

from typing import Annotated

from pydantic import AfterValidator, Field

from app import errors

MAX_NAME = 255
# RFC 5321 limits the local part to 64 and the domain to 255 octets, plus the "@".
MAX_EMAIL = 320
MAX_DESCRIPTION = 10_000

# Descriptions may span lines; names and emails may not.
_LINE_BREAKS = {"\n", "\r", "\t"}


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """Return the first C0 control character, DEL or lone surrogate in ``value``.

    JSON can carry a lone UTF-16 surrogate such as "\\ud800", which no UTF-8 text
    column or response can hold.
    """
    for char in value:
        code = ord(char)
        if (code < 0x20 or code == 0x7F) and not (multiline and char in _LINE_BREAKS):
            return char
        if 0xD800 <= code <= 0xDFFF:
            return char
    return None


def describe(char: str) -> str:
    """Name a character rejected by ``forbidden_character`` for an error message."""
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"the unpaired surrogate U+{ord(char):04X}"
    return f"the control character U+{ord(char):04X}"


def _single_line(value: str) -> str:
    char = forbidden_character(value)
    if char is not None:
        raise ValueError(f"contains {describe(char)}; remove it")
    return value


def _multiline(value: str) -> str:
    char = forbidden_character(value, multiline=True)
    if char is not None:
        raise ValueError(f"contains {describe(char)}; remove it")
    return value


Name = Annotated[str, Field(max_length=MAX_NAME), AfterValidator(_single_line)]
Email = Annotated[str, Field(max_length=MAX_EMAIL), AfterValidator(_single_line)]
Description = Annotated[
    str, Field(max_length=MAX_DESCRIPTION), AfterValidator(_multiline)
]


def check(field: str, value: str, limit: int, *, multiline: bool = False) -> str:
    """Validate ``value`` outside pydantic; raise a 400 ``Problem`` naming ``field``."""
    if len(value) > limit:
        raise errors.invalid_text(
            field, f"use at most {limit} characters (got {len(value)})"
        )
    char = forbidden_character(value, multiline=multiline)
    if char is not None:
        raise errors.invalid_text(
            field, f"the value contains {describe(char)}; remove it"
        )
    return value
