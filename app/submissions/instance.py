"""Reading what the server needs from submission XML: form, version, instanceID, files."""

import hashlib
import uuid
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from app import errors
from app.core import xml
from app.core.xml import REPLACEMENT

# Namespace for instanceIDs made up for submissions that carry none (see below).
_GENERATED_ID_NAMESPACE = uuid.UUID("0b5f6b9e-3c71-4d8e-9a57-6a1f0c2d4e83")
_XFORMS = "{http://www.w3.org/2002/xforms}"
_BINARY_TYPES = {"binary", "base64binary"}
_binary_paths_cache: dict[str, frozenset[str]] = {}
_CACHE_SIZE = 1000


@dataclass
class Instance:
    """The facts read from one submission's XML."""

    xml_form_id: str
    version: str
    instance_id: str
    deprecated_id: str | None
    instance_name: str | None
    encrypted: bool
    # How many characters XML forbids were replaced before parsing (0 for clean XML).
    invalid_characters: int
    # (path of local names, text) for every element without children and with text.
    leaves: list[tuple[str, str]] = field(default_factory=list)
    encrypted_files: list[str] = field(default_factory=list)

    def expected_files(
        self, binary_paths: frozenset[str], received: set[str]
    ) -> list[str]:
        """List the file names the submission refers to, in document order, once each.

        A file counts when its field is a binary (media) question of the form, when it
        is an encrypted part, or when it was sent and some answer equals its name. The
        last rule keeps files whose field the form does not mark as binary.
        """
        names: list[str] = list(self.encrypted_files)
        for path, text in self.leaves:
            if path in binary_paths or text in received:
                names.append(text)
        return list(dict.fromkeys(name for name in names if name))


def read_instance(data: bytes) -> Instance:
    """Parse submission XML, or raise a 400 problem that names the fault and line."""
    source: bytes | str = data
    replaced = 0
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        cleaned, replaced = xml.replace_forbidden_characters(text)
        if replaced:
            # The parsed values get U+FFFD in place of each forbidden character; the
            # caller still stores the original bytes and flags the submission.
            source = cleaned
    try:
        # ODK Central reads submissions without namespace processing, so it accepts
        # instances that use a prefix they never declare (orx:instanceName in
        # Central's own test data, and in XML from older clients). Kazi reads them the
        # same way on purpose, and matches elements by local name.
        root = xml.parse(source, namespaces=False)
    except xml.XMLRejected as rejected:
        raise rejected.problem() from rejected

    xml_form_id = root.get("id")
    if not xml_form_id:
        raise errors.submission_without_form_id()
    meta = _child(root, "meta")
    # ODK Central reads meta/instanceID, then an instanceID element directly under
    # the root; Kazi also accepts an instanceID attribute on the root.
    instance_id = (
        _child_text(meta, "instanceID")
        or _child_text(root, "instanceID")
        or root.get("instanceID")
    )
    encrypted = _child(root, "base64EncryptedKey") is not None
    if not instance_id:
        if encrypted:
            raise errors.missing_parameter("meta/instanceID")
        instance_id = generated_instance_id(xml_form_id, data)
    deprecated_id = (_child_text(meta, "deprecatedID") or "").strip() or None
    check_instance_id("instanceID", instance_id.strip())
    if deprecated_id is not None:
        check_instance_id("deprecatedID", deprecated_id)
    instance = Instance(
        xml_form_id=xml_form_id,
        version=root.get("version") or "",
        instance_id=instance_id.strip(),
        deprecated_id=deprecated_id,
        instance_name=_child_text(meta, "instanceName"),
        encrypted=encrypted,
        invalid_characters=replaced,
    )
    _collect_leaves(root, "", instance.leaves)
    if encrypted:
        instance.encrypted_files = _encrypted_files(root)
    return instance


MAX_INSTANCE_ID_LENGTH = 249


def check_instance_id(field_name: str, value: str) -> None:
    """Reject IDs that could never be addressed in a URL or a file name afterwards.

    OpenRosa IDs look like ``uuid:<uuid>`` and are at most 249 characters (OpenRosa
    metadata specification). Slashes, backslashes and control characters are refused
    because the submission would be stored but unreachable through the API.
    """
    if len(value) > MAX_INSTANCE_ID_LENGTH:
        raise errors.unexpected_value(
            field_name,
            value[:40] + "...",
            f"use at most {MAX_INSTANCE_ID_LENGTH} characters",
        )
    if any(ch in "/\\" or ord(ch) < 0x20 or ch == REPLACEMENT for ch in value):
        raise errors.unexpected_value(
            field_name,
            value,
            "an ID may not contain '/', '\\' or control characters; "
            "use the uuid:<uuid> form that ODK Collect writes",
        )


def generated_instance_id(xml_form_id: str, data: bytes) -> str:
    """Make an instanceID for XML that has none, the same one for the same bytes.

    Old clients send no meta/instanceID. Deriving the ID from the bytes, not at random,
    means that a device resending such a submission after a lost response gets the
    resend response instead of a second copy.
    """
    digest = hashlib.sha256(data).hexdigest()
    return f"uuid:{uuid.uuid5(_GENERATED_ID_NAMESPACE, f'{xml_form_id}:{digest}')}"


def binary_paths(xml_md5: str, form_xml: str | None) -> frozenset[str]:
    """Return the instance paths of the form version's binary (media) questions.

    The result depends only on the form XML, so it is cached by the XML's md5 (a
    row id could name another form after the database is recreated); ``form_xml``
    may be None when the caller expects a cache hit.
    """
    cached = _binary_paths_cache.get(xml_md5)
    if cached is not None or form_xml is None:
        return cached if cached is not None else frozenset()
    root = xml.parse(form_xml, namespaces=True)
    paths = set()
    for bind in root.iter(f"{_XFORMS}bind"):
        kind = xml.local_name(bind.get("type", "")).lower()
        nodeset = bind.get("nodeset", "")
        if kind in _BINARY_TYPES and nodeset.startswith("/"):
            paths.add("/".join(xml.local_name(step) for step in nodeset.split("/")))
    if len(_binary_paths_cache) >= _CACHE_SIZE:
        _binary_paths_cache.clear()
    result = frozenset(paths)
    _binary_paths_cache[xml_md5] = result
    return result


def is_cached(xml_md5: str) -> bool:
    return xml_md5 in _binary_paths_cache


def check_file_name(name: str) -> None:
    """Reject a file name that could leave its folder: separators, "." or "..".

    Names that merely contain two dots, such as IMG..1.jpg, are ordinary file names.
    """
    if "/" in name or "\\" in name or name in (".", ".."):
        raise errors.invalid_attachment_name(name)


def _child(parent: Element | None, name: str) -> Element | None:
    if parent is None:
        return None
    return next((child for child in parent if xml.local_name(child.tag) == name), None)


def _child_text(parent: Element | None, name: str) -> str | None:
    child = _child(parent, name)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _collect_leaves(element: Element, prefix: str, out: list[tuple[str, str]]) -> None:
    path = f"{prefix}/{xml.local_name(element.tag)}"
    if len(element) == 0:
        text = (element.text or "").strip()
        if text:
            out.append((path, text))
        return
    for child in element:
        _collect_leaves(child, path, out)


def _encrypted_files(root: Element) -> list[str]:
    names = [_child_text(root, "encryptedXmlFile") or ""]
    for media in root:
        if xml.local_name(media.tag) == "media":
            names.append(_child_text(media, "file") or "")
    return [name for name in names if name]
