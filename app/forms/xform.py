"""Reading what Kazi needs from an XForm definition, and rewriting its version."""

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element
from xml.sax.saxutils import quoteattr

from app import errors
from app.core import xml

XFORMS = "{http://www.w3.org/2002/xforms}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ENTITIES = "{http://www.opendatakit.org/xforms/entities}"
ORX = "{http://openrosa.org/xforms}"

# Entity spec versions Kazi understands; a newer one must be rejected (ODK XForms
# entities spec: "consumers MUST reject forms with a version they do not support").
SUPPORTED_ENTITY_VERSIONS = ("2022.1", "2023.1", "2024.1", "2025.1")

FORM_ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,254}$")
_MEDIA_FORMS = {
    "image": "image",
    "big-image": "image",
    "audio": "audio",
    "video": "video",
}
_JR_MEDIA = re.compile(r"^jr://(images|audio|video|file|file-csv)/(.+)$")


@dataclass
class EntityDeclaration:
    dataset: str
    create: bool
    update: bool
    scope: str
    properties: list[str] = field(default_factory=list)


@dataclass
class ParsedXForm:
    xml_form_id: str
    version: str
    title: str
    attachments: dict[str, str]
    entities: list[EntityDeclaration]
    entities_version: str | None
    instance_root: Element


def parse_xform(data: bytes | str) -> ParsedXForm:
    """Parse an XForm and check what Kazi relies on; a 400 names any fault found."""
    try:
        root = xml.parse(data, namespaces=True)
    except xml.XMLRejected as rejected:
        raise rejected.problem() from rejected
    if root.tag != f"{XHTML}html":
        raise errors.unexpected_value(
            "root element",
            xml.local_name(root.tag),
            "an XForm starts with <h:html> in the XHTML namespace",
        )
    model = root.find(f"{XHTML}head/{XFORMS}model")
    if model is None:
        raise errors.unexpected_value(
            "model", None, "the XForm has no <model> in <h:head>"
        )
    primary = next(
        (i for i in model.findall(f"{XFORMS}instance") if "id" not in i.attrib), None
    )
    if primary is None or len(primary) == 0:
        raise errors.unexpected_value(
            "instance", None, "the XForm has no primary <instance> with a root element"
        )
    instance_root = primary[0]
    xml_form_id = instance_root.get("id") or ""
    check_form_id(xml_form_id)
    # ODK Central reads the version by local name, so forms written with
    # orx:version="..." (Central's own entity test forms) have that version.
    version = instance_root.get("version") or instance_root.get(f"{ORX}version") or ""
    check_version(version)
    title_element = root.find(f"{XHTML}head/{XHTML}title")
    title = (title_element.text or "").strip() if title_element is not None else ""

    entities_version = model.get(f"{ENTITIES}entities-version")
    entities = _entity_declarations(model, instance_root)
    if entities and entities_version is not None:
        check_entities_version(entities_version)
    return ParsedXForm(
        xml_form_id=xml_form_id,
        version=version,
        title=title or xml_form_id,
        attachments=_expected_attachments(root, model),
        entities=entities,
        entities_version=entities_version,
        instance_root=instance_root,
    )


def check_form_id(xml_form_id: str, where: str | None = None) -> None:
    """Reject a form ID unfit for URLs; ``where`` names the place the author set it."""
    fix = f"; change it in {where}" if where else ""
    if not xml_form_id:
        raise errors.Problem(
            400.2,
            "The form has no ID: set the id attribute on the primary instance root, "
            "or the form_id column of the XLSForm settings sheet.",
            {"field": "id"},
        )
    if re.search(r"\.(xml|xlsx?)$", xml_form_id, re.IGNORECASE):
        raise errors.unexpected_value(
            "form ID",
            xml_form_id,
            f"form IDs may not end in .xml, .xls or .xlsx{fix}",
        )
    if not FORM_ID_PATTERN.match(xml_form_id):
        raise errors.unexpected_value(
            "form ID",
            xml_form_id,
            "use ASCII letters, digits, '_', '-' or '.', starting with a letter or '_' "
            "(at most 255 characters), because the ID appears in URLs and file names"
            + fix,
        )


def check_version(version: str) -> None:
    if len(version) > 1000:
        raise errors.unexpected_value(
            "version", version[:40] + "...", "use at most 1000 characters"
        )
    if any(ord(ch) < 0x20 for ch in version):
        raise errors.unexpected_value(
            "version",
            version,
            "remove line breaks and control characters from the version",
        )
    if "/" in version or "\\" in version:
        # A version is a path segment of /forms/{id}/versions/{version}; with a slash it
        # would be published but unreachable there.
        raise errors.unexpected_value(
            "version",
            version,
            "remove '/' and '\\' from the version, for example 2026-12-04",
        )


def check_entities_version(version: str) -> None:
    if not version.startswith(SUPPORTED_ENTITY_VERSIONS):
        raise errors.Problem(
            400.25,
            f"The form declares entities-version {version!r}, which this server does not "
            f"support (supported: {', '.join(SUPPORTED_ENTITY_VERSIONS)}). Convert it "
            "with a pyxform release that writes a supported version.",
            {"entitiesVersion": version},
        )


def _expected_attachments(root: Element, model: Element) -> dict[str, str]:
    """Map each media or data file the form references to its type."""
    found: dict[str, str] = {}
    for instance in model.findall(f"{XFORMS}instance"):
        match = _JR_MEDIA.match(instance.get("src", ""))
        if match:
            found[_file_name(match.group(2))] = "file"
    for value in root.iter(f"{XFORMS}value"):
        media = _MEDIA_FORMS.get(value.get("form", ""))
        match = _JR_MEDIA.match((value.text or "").strip())
        if media and match:
            found.setdefault(_file_name(match.group(2)), media)
    return found


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _entity_declarations(
    model: Element, instance_root: Element
) -> list[EntityDeclaration]:
    declarations: list[EntityDeclaration] = []
    for scope_path, entity in _find_entities(
        instance_root, "/" + xml.local_name(instance_root.tag)
    ):
        dataset = entity.get("dataset", "")
        if not dataset or dataset.startswith("__") or "." in dataset:
            raise errors.Problem(
                400.25,
                f"The entity declaration has an invalid dataset name {dataset!r}: use a "
                "name without '.' that does not start with '__'.",
                {"dataset": dataset},
            )
        declarations.append(
            EntityDeclaration(
                dataset=dataset,
                create="create" in entity.attrib,
                update="update" in entity.attrib,
                scope=scope_path,
            )
        )
    for bind in model.findall(f"{XFORMS}bind"):
        prop = bind.get(f"{ENTITIES}saveto")
        if not prop:
            continue
        if prop in ("name", "label") or prop.startswith("__"):
            raise errors.Problem(
                400.25,
                f"save_to property {prop!r} is reserved; choose another property name.",
                {"property": prop},
            )
        owner = _owner(declarations, bind.get("nodeset", ""))
        if owner is not None and prop not in owner.properties:
            owner.properties.append(prop)
    return declarations


def _find_entities(element: Element, path: str):
    for child in element:
        name = xml.local_name(child.tag)
        child_path = f"{path}/{name}"
        if name == "meta":
            for entity in child:
                if xml.local_name(entity.tag) == "entity":
                    yield path, entity
        else:
            yield from _find_entities(child, child_path)


def _owner(
    declarations: list[EntityDeclaration], nodeset: str
) -> EntityDeclaration | None:
    candidates = [d for d in declarations if nodeset.startswith(d.scope + "/")]
    return max(candidates, key=lambda d: len(d.scope), default=None)


_INSTANCE_START = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?instance(?=[\s>/])[^>]*>")
_START_TAG = re.compile(r"<([A-Za-z_][\w.\-:]*)([^>]*?)(/?)>")


def set_root_attribute(xform: str, name: str, value: str) -> str:
    """Set an attribute on the primary instance root, leaving every other byte alone.

    Used to apply ``?version=`` on publish.
    """
    for instance in _INSTANCE_START.finditer(xform):
        if re.search(r"\sid\s*=", instance.group(0)):
            continue
        tag = _START_TAG.search(xform, instance.end())
        if tag is None:
            break
        attributes = tag.group(2)
        pattern = re.compile(rf"(\s{re.escape(name)}\s*=\s*)(\"[^\"]*\"|'[^']*')")
        replacement = f" {name}={quoteattr(value)}"
        if pattern.search(attributes):
            attributes = pattern.sub(lambda _m, new=replacement: new, attributes, count=1)
        else:
            attributes = attributes + replacement
        return xform[: tag.start(2)] + attributes + xform[tag.end(2) :]
    raise errors.unexpected_value("instance", None, "the XForm has no primary <instance>")
