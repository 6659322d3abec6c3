"""Reading what the server needs from submission XML: form, version, instanceID, files."""

import hashlib
import uuid
from dataclasses import dataclass, field

from app import errors
from app.core import xml
from app.core.xml import REPLACEMENT

# Namespace for instanceIDs made up for submissions that carry none (see below).
_GENERATED_ID_NAMESPACE = uuid.UUID("0b5f6b9e-3c71-4d8e-9a57-6a1f0c2d4e83")
_XFORMS = "{http://www.w3.org/2002/xforms}"
_BINARY_TYPES = {"binary", "base64binary"}
_binary_paths_cache: dict[str, frozenset[str]] = {}
_CACHE_SIZE = 1000
# Leaves kept from the first scan of a submission; a document with more is scanned
# again for its file names. 10,000 leaves take an estimated 2 MB, far above a usual form.
MAX_KEPT_LEAVES = 10_000


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
    encrypted_files: list[str] = field(default_factory=list)
    # The document as parsed, scanned again by ``expected_files`` when ``leaves`` is
    # None because the document had too many leaves to keep.
    source: bytes | str = field(default=b"", repr=False)
    leaves: list[tuple[str, str]] | None = None

    def expected_files(
        self, binary_paths: frozenset[str], received: set[str]
    ) -> list[str]:
        """List the file names the submission refers to, in document order, once each.

        A file counts when its field is a binary (media) question of the form, when it
        is an encrypted part, or when it was sent and some answer equals its name. The
        last rule keeps files whose field the form does not mark as binary.
        """
        names: list[str] = list(self.encrypted_files)

        def on_leaf(path: str, text: str) -> None:
            if path in binary_paths or text in received:
                names.append(text)

        if self.leaves is not None:
            for path, text in self.leaves:
                on_leaf(path, text)
        else:
            # A second scan instead of a list of every leaf: memory then stays
            # proportional to the nesting depth, not to the size of the document.
            reader = _ElementReader(on_leaf)
            xml.scan(self.source, reader.start, reader.end, reader.text, namespaces=False)
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
        header = _HeaderReader()
        reader = _ElementReader(header.on_leaf, header.on_element)
        xml.scan(source, reader.start, reader.end, reader.text, namespaces=False)
    except xml.XMLRejected as rejected:
        raise rejected.problem() from rejected

    xml_form_id = header.root_attributes.get("id")
    if not xml_form_id:
        raise errors.submission_without_form_id()
    # ODK Central reads meta/instanceID, then an instanceID element directly under
    # the root; Kazi also accepts an instanceID attribute on the root.
    instance_id = (
        header.first("/meta/instanceID")
        or header.first("/instanceID")
        or header.root_attributes.get("instanceID")
    )
    encrypted = header.encrypted
    if not instance_id:
        if encrypted:
            raise errors.missing_parameter("meta/instanceID")
        instance_id = generated_instance_id(xml_form_id, data)
    deprecated_id = (header.first("/meta/deprecatedID") or "").strip() or None
    check_instance_id("instanceID", instance_id.strip())
    if deprecated_id is not None:
        check_instance_id("deprecatedID", deprecated_id)
    instance = Instance(
        xml_form_id=xml_form_id,
        version=header.root_attributes.get("version") or "",
        instance_id=instance_id.strip(),
        deprecated_id=deprecated_id,
        instance_name=header.first("/meta/instanceName"),
        encrypted=encrypted,
        invalid_characters=replaced,
        source=source,
        leaves=header.leaves,
    )
    if encrypted:
        files = [header.first("/encryptedXmlFile") or "", *header.media_files]
        instance.encrypted_files = [name for name in files if name]
    return instance


MAX_INSTANCE_ID_LENGTH = 249
# Android file systems limit a file name to 255 bytes, so no device sends a longer one.
MAX_FILE_NAME = 255


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
    if "/" in name or "\\" in name or name in (".", "..") or len(name) > MAX_FILE_NAME:
        raise errors.invalid_attachment_name(name)


class _ElementReader:
    """Callbacks for ``xml.scan`` that report each element's path and text.

    ``on_leaf(path, text)`` gets the path from the root, such as ``/data/photo``, of
    each element without children and with text. ``on_element(path, value)`` gets the
    path below the root, such as ``/meta/instanceID``, and the stripped text of every
    element when it ends, and ``("", attributes)`` for the root when it starts. An
    element's text is the text before its first child, as in ElementTree.
    """

    def __init__(self, on_leaf, on_element=None):
        self.on_leaf = on_leaf
        self.on_element = on_element
        # One frame per open element: [path from the root, text parts, has a child].
        self.stack: list[list] = []
        self.root_length = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        stack = self.stack
        if stack:
            parent = stack[-1]
            parent[2] = True
            stack.append([f"{parent[0]}/{xml.local_name(tag)}", [], False])
            return
        if self.on_element is not None:
            self.on_element("", attributes)
        path = "/" + xml.local_name(tag)
        self.root_length = len(path)
        stack.append([path, [], False])

    def text(self, data: str) -> None:
        if self.stack and not self.stack[-1][2]:
            self.stack[-1][1].append(data)

    def end(self, _tag: str) -> None:
        path, parts, has_child = self.stack.pop()
        if not parts and self.on_element is None:
            return
        text = "".join(parts).strip()
        if self.on_element is not None and self.stack:
            self.on_element(path[self.root_length :], text)
        if not has_child and text:
            self.on_leaf(path, text)


class _HeaderReader:
    """Collects the root attributes, the meta fields and the encryption parts."""

    # Paths whose first occurrence is kept.
    WANTED = {
        "/meta/instanceID",
        "/meta/deprecatedID",
        "/meta/instanceName",
        "/instanceID",
        "/encryptedXmlFile",
    }

    def __init__(self):
        self.root_attributes: dict[str, str] = {}
        self.values: dict[str, str | None] = {}
        self.encrypted = False
        self.media_files: list[str] = []
        self._meta_seen = False
        # (path, text) of each leaf with text, or None once there are too many to keep.
        self.leaves: list[tuple[str, str]] | None = []

    def on_element(self, path: str, value) -> None:
        if path == "":
            self.root_attributes = value
            return
        if path == "/meta":
            # Elements end before their parent, so the first meta block's fields are
            # already recorded here, and the fields of any later block are ignored.
            self._meta_seen = True
            return
        if path == "/base64EncryptedKey":
            self.encrypted = True
        elif path == "/media/file":
            self.media_files.append(value)
        if path.startswith("/meta/") and self._meta_seen:
            return
        if path in self.WANTED and path not in self.values:
            self.values[path] = value or None

    def on_leaf(self, path: str, text: str) -> None:
        if self.leaves is None:
            return
        if len(self.leaves) >= MAX_KEPT_LEAVES:
            self.leaves = None
        else:
            self.leaves.append((path, text))

    def first(self, path: str) -> str | None:
        return self.values.get(path)
