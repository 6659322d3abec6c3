"""Safe XML parsing for untrusted form definitions and submissions.

Documents are parsed with expat and built into ``xml.etree.ElementTree`` elements, or
streamed through callbacks by ``scan`` when a tree would cost too much memory.
Any DOCTYPE is rejected before expat reads a declaration, so entity expansion
("billion laughs") and external entities cannot happen. Depth and size are bounded.
"""

import re
import xml.parsers.expat
from collections.abc import Callable
from xml.etree.ElementTree import Element, TreeBuilder

from app import errors

MAX_DEPTH = 200

# Characters XML 1.0 forbids: C0 controls other than tab, LF and CR, lone surrogates,
# U+FFFE and U+FFFF.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CHAR_REFERENCE = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
REPLACEMENT = "\ufffd"


class XMLRejected(ValueError):
    """The document is unsafe or malformed; ``line`` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def problem(self) -> errors.Problem:
        return errors.invalid_xml(self.reason, self.line)


def _forbidden_code_point(code: int) -> bool:
    return (
        code < 0x20
        and code not in (0x9, 0xA, 0xD)
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
        or code > 0x10FFFF
    )


def replace_forbidden_characters(text: str) -> tuple[str, int]:
    """Replace characters XML forbids, raw or as references, with U+FFFD.

    Returns the cleaned text and the number of replacements. Valid references (an
    emoji as ``&#128512;``) are left for the parser, which decodes them.
    """
    count = 0

    def reference(match: re.Match) -> str:
        nonlocal count
        body = match.group(1)
        code = int(body[1:], 16) if body[0] in "xX" else int(body)
        if _forbidden_code_point(code):
            count += 1
            return REPLACEMENT
        return match.group(0)

    text = _CHAR_REFERENCE.sub(reference, text)
    text, raw = _FORBIDDEN_CHARS.subn(REPLACEMENT, text)
    return text, count + raw


def parse(
    data: bytes | str,
    *,
    namespaces: bool = True,
    max_depth: int = MAX_DEPTH,
) -> Element:
    """Parse ``data`` into an Element tree, or raise ``XMLRejected``.

    With ``namespaces=False`` tags keep their literal prefixes (``orx:instanceName``)
    and no prefix has to be declared. ODK Central accepts submissions that use the
    ``orx:`` prefix without declaring it, so submissions are read that way.
    """
    builder = TreeBuilder()
    scan(
        data,
        builder.start,
        builder.end,
        builder.data,
        namespaces=namespaces,
        max_depth=max_depth,
    )
    try:
        return builder.close()
    except AssertionError as error:
        raise XMLRejected("the document has no root element") from error


def scan(
    data: bytes | str,
    on_start: Callable[[str, dict[str, str]], object],
    on_end: Callable[[str], object],
    on_text: Callable[[str], object],
    *,
    namespaces: bool = True,
    max_depth: int = MAX_DEPTH,
) -> None:
    """Stream ``data`` through the callbacks without building a tree.

    Tags reach the callbacks as ``{uri}local`` with ``namespaces=True``, else as
    written. Raises ``XMLRejected`` on a DOCTYPE, on nesting deeper than
    ``max_depth`` and on malformed XML. A callback may raise to stop the scan.
    """
    parser = xml.parsers.expat.ParserCreate(
        encoding=None, namespace_separator="}" if namespaces else None
    )
    depth = 0

    def reject_doctype(*_args):
        raise XMLRejected(
            "DOCTYPE declarations are not allowed (they enable entity expansion "
            "attacks); remove the <!DOCTYPE ...> line",
            parser.CurrentLineNumber,
        )

    def start(tag, attributes):
        nonlocal depth
        depth += 1
        if depth > max_depth:
            raise XMLRejected(
                f"elements are nested more than {max_depth} levels deep",
                parser.CurrentLineNumber,
            )
        on_start(_fix(tag), {_fix(key): value for key, value in attributes.items()})

    def end(tag):
        nonlocal depth
        depth -= 1
        on_end(_fix(tag))

    def _fix(name: str) -> str:
        return "{" + name if namespaces and "}" in name else name

    parser.StartDoctypeDeclHandler = reject_doctype
    parser.EntityDeclHandler = reject_doctype
    parser.ExternalEntityRefHandler = reject_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = on_text
    parser.buffer_text = True
    parser.ordered_attributes = False
    try:
        if isinstance(data, str):
            parser.Parse(data.encode("utf-8"), True)
        else:
            parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise XMLRejected(
            xml.parsers.expat.errors.messages.get(error.code, str(error)).rstrip("."),
            error.lineno,
        ) from error
    except RecursionError as error:
        raise XMLRejected("the document is nested too deeply") from error


def local_name(tag: str) -> str:
    """The tag without its namespace (``{uri}x``) or prefix (``orx:x``)."""
    if tag.startswith("{"):
        tag = tag.split("}", 1)[1]
    return tag.rsplit(":", 1)[-1]
