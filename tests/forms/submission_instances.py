"""Generate submission instances of an XForm as ODK Collect would send them.

`read_xform` reads the primary instance, binds, body controls and `setvalue` actions of a
form. `generate` fills the primary instance in document order with seeded random answers:
it evaluates `relevant` and leaves non-relevant questions empty, computes every
`calculate`, and picks each answer from candidates of its bind type until the answer
satisfies the `constraint`. `check` re-reads the XML and lists every broken rule.
`generate` asserts that this list is empty, so the evaluator that accepts a generated
instance is the same one that the tests show rejecting a broken one.

NOTE: non-relevant questions are written as empty elements, not removed. This is what
the tests expect the server to store; whether Collect prunes them was not checked.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from xml.sax.saxutils import escape

import instance_answers as answers
from defusedxml import ElementTree as ET
from xpath_subset import (
    Context,
    Node,
    atomize,
    evaluate,
    evaluate_boolean,
    to_string,
)

XFORMS = "{http://www.w3.org/2002/xforms}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ENTITIES_SAVETO = "{http://www.opendatakit.org/xforms/entities}saveto"
JR_PRELOAD = "{http://openrosa.org/javarosa}preload"
JR_PRELOAD_PARAMS = "{http://openrosa.org/javarosa}preloadParams"
CONTROL_TAGS = ("input", "select1", "select", "upload", "range", "trigger")
MAX_ATTEMPTS = 50


class Unfillable(Exception):  # noqa: N818 - a signal to retry, not an error to report
    """A required question has no answer that fits, so this random path is a dead end."""


@dataclass
class Control:
    """A body control: its tag and where its choices come from."""

    tag: str
    itemset: str | None = None
    value_ref: str = "name"
    items: list[str] = field(default_factory=list)


@dataclass
class FormModel:
    """What the generator needs from an XForm."""

    form_id: str
    version: str | None
    namespaces: list[tuple[str, str]]
    template: Node
    binds: dict[str, dict[str, str]]
    controls: dict[str, Control]
    repeats: set[str]
    setvalues: dict[tuple[str, str], str]
    internal_instances: dict[str, Node]
    external_instances: list[str]

    def types(self) -> dict[str, str]:
        return {path: bind["type"] for path, bind in self.binds.items() if "type" in bind}


@dataclass
class EntityRecord:
    """One entity block of a submission, with the properties its form saves."""

    dataset: str
    id: str
    create: bool
    update: bool
    label: str
    base_version: str
    properties: dict[str, str]


@dataclass
class Submission:
    """A filled instance ready to post: XML bytes and attachment parts by file name."""

    form_id: str
    instance_id: str
    xml: bytes
    attachments: dict[str, tuple[bytes, str]]
    entities: list[EntityRecord]


# ---------------------------------------------------------------------------------------
# Reading the form


def read_xform(xform: bytes | str) -> FormModel:
    """Read the parts of an XForm that filling and checking an instance need."""
    text = xform.decode() if isinstance(xform, bytes) else xform
    root = ET.fromstring(text)
    model = root.find(f"{XHTML}head/{XFORMS}model")
    instances = model.findall(f"{XFORMS}instance")
    primary = instances[0][0]
    template = Node("#document")
    template.append(_to_node(primary))

    binds = {
        bind.get("nodeset"): dict(bind.attrib) for bind in model.iterfind(f"{XFORMS}bind")
    }
    controls, repeats = _read_body(root.find(f"{XHTML}body"))
    setvalues = {
        (action.get("event"), action.get("ref")): action.get("value", "")
        for action in root.iter(f"{XFORMS}setvalue")
    }

    internal, external = {}, []
    for instance in instances[1:]:
        if instance.get("src"):
            external.append(instance.get("id"))
        else:
            document = Node("#instance")
            document.append(_to_node(instance[0]))
            internal[instance.get("id")] = document
    return FormModel(
        form_id=primary.get("id"),
        version=primary.get("version"),
        namespaces=_declared_prefixes(text),
        template=template,
        binds=binds,
        controls=controls,
        repeats=repeats,
        setvalues=setvalues,
        internal_instances=internal,
        external_instances=external,
    )


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _to_node(element) -> Node:
    node = Node(_local(element.tag), (element.text or "") if len(element) == 0 else "")
    for name, value in element.attrib.items():
        if _local(name) != "template":
            node.set_attribute(_local(name), value)
    for child in element:
        node.append(_to_node(child))
    return node


def _read_body(body) -> tuple[dict[str, Control], set[str]]:
    controls: dict[str, Control] = {}
    repeats = {repeat.get("nodeset") for repeat in body.iter(f"{XFORMS}repeat")}
    for element in body.iter():
        tag = _local(element.tag)
        if tag not in CONTROL_TAGS or not element.get("ref"):
            continue
        control = Control(tag)
        itemset = element.find(f"{XFORMS}itemset")
        if itemset is not None:
            control.itemset = itemset.get("nodeset")
            control.value_ref = itemset.find(f"{XFORMS}value").get("ref")
        control.items = [
            item.findtext(f"{XFORMS}value") for item in element.iterfind(f"{XFORMS}item")
        ]
        controls[element.get("ref")] = control
    return controls, repeats


def _declared_prefixes(text: str) -> list[tuple[str, str]]:
    """Return the prefixed namespaces of the form's root element, which Collect copies."""
    start = text[text.index("<h:html") : text.index(">", text.index("<h:html"))]
    found = []
    for chunk in start.split("xmlns:")[1:]:
        prefix, _, rest = chunk.partition("=")
        found.append((prefix.strip(), rest.strip().split()[0].strip("\"'")))
    return found


def secondary_instance(rows: list[dict[str, str]]) -> Node:
    """Build an external instance as Collect reads a CSV: /root/item/<column>."""
    document = Node("#instance")
    root = document.append(Node("root"))
    for row in rows:
        item = root.append(Node("item"))
        for column, value in row.items():
            item.append(Node(column, value))
    return document


def entity_list_rows(records: list[EntityRecord]) -> list[dict[str, str]]:
    """Return entity list CSV rows for the created entities, as a device stores them.

    Collect keeps `__trunkVersion` equal to the server version and a random `__branchId`
    per download, so a follow-up filled offline carries all three in its entity block.
    """
    rows = []
    for record in records:
        if not record.create:
            continue
        branch = str(uuid.UUID(int=random.Random(record.id).getrandbits(128), version=4))
        rows.append(
            {
                "name": record.id,
                "label": record.label,
                "__version": "1",
                "__trunkVersion": "1",
                "__branchId": branch,
                **record.properties,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------
# Filling


def generate(
    form: FormModel,
    seed: str,
    *,
    today: date,
    username: str = "enum_01",
    secondary: dict[str, list[dict[str, str]]] | None = None,
    overrides: dict[str, str | list[str]] | None = None,
    repeat_counts: dict[str, int] | None = None,
) -> Submission:
    """Fill `form` deterministically from `seed` and return a valid submission.

    `overrides` fixes the answer of a question by path; a list gives one answer per
    repeat entry. `repeat_counts` fixes how many entries a repeat gets (default 1 to 3).
    A random path that reaches a required question with no fitting answer is retried
    with the next derived seed.
    """
    for attempt in range(MAX_ATTEMPTS):
        filler = _Filler(
            form,
            random.Random(f"{seed}/{attempt}"),
            today=today,
            username=username,
            secondary=secondary or {},
            overrides=overrides or {},
            repeat_counts=repeat_counts or {},
        )
        try:
            document = filler.fill()
        except Unfillable:
            continue
        xml = serialize(form, document)
        problems = check(form, xml, today=today, secondary=secondary)
        assert problems == [], f"{form.form_id} seed {seed!r}: {problems}"
        return Submission(
            form_id=form.form_id,
            instance_id=_instance_id(document),
            xml=xml,
            attachments=filler.attachments,
            entities=entity_records(form, document),
        )
    raise AssertionError(f"{form.form_id}: no valid instance in {MAX_ATTEMPTS} attempts")


class _Filler:
    def __init__(
        self, form, rng, *, today, username, secondary, overrides, repeat_counts
    ):
        self.form = form
        self.rng = rng
        self.today = today
        self.username = username
        self.overrides = overrides
        self.repeat_counts = repeat_counts
        self.document = Node("#document")
        self.context = make_context(form, self.document, today, secondary, self._uuid)
        self.attachments: dict[str, tuple[bytes, str]] = {}
        self.started = datetime.combine(
            today, datetime.min.time(), timezone(timedelta(hours=3))
        )
        self.started += timedelta(hours=8, minutes=rng.randrange(600))
        self.answered: list[tuple[str, str]] = []
        self.entry_index = 0

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def fill(self) -> Node:
        self._build(
            self.form.template.children[0], self.document, "odk-instance-first-load"
        )
        # Calculates that read later nodes (instanceID, entity ids) settle on a second
        # pass, as JavaRosa recomputes its dependency graph.
        for _ in range(2):
            for node in iter_nodes(self.document):
                bind = self.form.binds.get(node.path, {})
                if "calculate" in bind:
                    relevant = is_relevant(self.form, node, self.context)
                    node.text = self._calculate(node, bind) if relevant else ""
        self._attach_audit()
        return self.document

    def _build(self, template: Node, parent: Node, event: str) -> Node | None:
        node = parent.append(Node(template.name))
        for name, attribute in template.attributes.items():
            node.set_attribute(name, attribute.text)
        relevant = is_relevant(self.form, node, self.context)
        for attribute in node.attributes.values():
            if attribute.path in self.form.binds:
                self._fill_leaf(attribute, relevant, event)
        if not template.children and not template.attributes:
            self._fill_leaf(node, relevant, event)
            return node
        seen_repeats = set()
        for child in template.children:
            if child.path in self.form.repeats:
                if child.path not in seen_repeats:
                    seen_repeats.add(child.path)
                    self._build_repeat(child, node, relevant)
            elif child.children or child.attributes:
                self._build(child, node, event)
            else:
                self._fill_leaf(node.append(Node(child.name)), relevant, event)
        return node

    def _build_repeat(self, template: Node, parent: Node, relevant: bool) -> None:
        count = self.repeat_counts.get(template.path, self.rng.randint(1, 3))
        for index in range(count if relevant else 0):
            event = "odk-instance-first-load" if index == 0 else "odk-new-repeat"
            self.entry_index = index
            entry = self._build(template, parent, event)
            if not is_relevant(self.form, entry, self.context):
                parent.children.remove(entry)
                return

    def _fill_leaf(self, node: Node, relevant: bool, event: str) -> None:
        bind = self.form.binds.get(node.path, {})
        relevant = relevant and is_relevant(self.form, node, self.context)
        if not relevant:
            node.text = ""
            return
        default = self.form.setvalues.get((event, node.path))
        if default is None and event == "odk-new-repeat":
            default = self.form.setvalues.get(("odk-instance-first-load", node.path))
        if default is not None:
            node.text = to_string(
                atomize(evaluate(default, node, self.context), self.context)
            )
        if "calculate" in bind:
            node.text = self._calculate(node, bind)
        elif JR_PRELOAD in bind:
            node.text = self._preload(bind)
        elif bind.get("type") == "binary" and node.path not in self.form.controls:
            node.text = "audit.csv" if node.name == "audit" else ""
        elif node.path in self.form.controls and bind.get("readonly") != "true()":
            node.text = answers.answer(self, node, bind, self.form.controls[node.path])
            if node.text:
                self.answered.append((node.path, node.text))

    def _calculate(self, node: Node, bind: dict[str, str]) -> str:
        value = atomize(evaluate(bind["calculate"], node, self.context), self.context)
        if isinstance(value, bool):
            # NOTE: written as 1 or 0, which Central reads as true and false for entity
            # create and update. A Collect capture may show "true" instead.
            return "1" if value else "0"
        text = to_string(value)
        return "" if text in ("NaN", "Infinity", "-Infinity") else text

    def _preload(self, bind: dict[str, str]) -> str:
        kind, parameter = bind[JR_PRELOAD], bind.get(JR_PRELOAD_PARAMS)
        if kind == "uid":
            return f"uuid:{self._uuid()}"
        if kind == "date":
            return self.today.isoformat()
        if kind == "timestamp":
            moment = self.started
            if parameter == "end":
                moment += timedelta(minutes=20 + self.rng.randrange(40))
            return moment.isoformat(timespec="milliseconds")
        if parameter == "deviceid":
            return f"collect:{self.rng.getrandbits(64):016x}"
        if parameter == "username":
            return self.username
        raise AssertionError(f"preload {kind}/{parameter} is not supported")

    def _attach_audit(self) -> None:
        if not any(
            node.name == "audit" and node.text for node in iter_nodes(self.document)
        ):
            return
        self.attachments["audit.csv"] = (answers.audit_log(self), "text/csv")


def make_context(form, document, today, secondary, new_uuid=None) -> Context:
    instances = dict(form.internal_instances)
    for instance_id in form.external_instances:
        instances[instance_id] = secondary_instance(
            (secondary or {}).get(instance_id, [])
        )
    context = Context(document, instances, form.types(), today)
    if new_uuid is not None:
        context.new_uuid = new_uuid
    return context


def is_relevant(form: FormModel, node: Node, context: Context) -> bool:
    """Return whether the node and all its ancestors are relevant."""
    current: Node | None = node
    while current is not None and current.parent is not None:
        expression = form.binds.get(current.path, {}).get("relevant")
        if expression and not evaluate_boolean(expression, current, context):
            return False
        current = current.parent
    return True


def iter_nodes(document: Node):
    """Yield elements and their attributes in document order."""
    for node in document.iter():
        yield node
        yield from node.attributes.values()


def _instance_id(document: Node) -> str:
    root = document.children[0]
    meta = next(child for child in root.children if child.name == "meta")
    return next(child.text for child in meta.children if child.name == "instanceID")


# ---------------------------------------------------------------------------------------
# Writing and checking


def serialize(form: FormModel, document: Node) -> bytes:
    """Write the instance as Collect does: root with id, version and form prefixes."""
    root = document.children[0]
    head = [f"id={_quote(form.form_id)}"]
    if form.version is not None:
        head.append(f"version={_quote(form.version)}")
    head += [f"xmlns:{prefix}={_quote(uri)}" for prefix, uri in form.namespaces]
    body = "".join(_write(child) for child in root.children)
    opening = f"<{root.name} {' '.join(head)}>"
    return f"<?xml version='1.0' ?>{opening}{body}</{root.name}>".encode()


def _quote(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def _write(node: Node) -> str:
    attributes = "".join(
        f" {name}={_quote(a.text)}" for name, a in node.attributes.items()
    )
    inner = "".join(_write(child) for child in node.children) or escape(node.text)
    if not inner:
        return f"<{node.name}{attributes}/>"
    return f"<{node.name}{attributes}>{inner}</{node.name}>"


def parse_instance(xml: bytes) -> Node:
    document = Node("#document")
    root = _to_node(ET.fromstring(xml))
    root.attributes = {}
    document.append(root)
    return document


def check(
    form: FormModel,
    xml: bytes,
    *,
    today: date,
    secondary: dict[str, list[dict[str, str]]] | None = None,
) -> list[str]:
    """List every rule of the form that the instance breaks, one message per node."""
    document = parse_instance(xml)
    context = make_context(form, document, today, secondary)
    problems = []
    for node in iter_nodes(document):
        bind = form.binds.get(node.path)
        if bind is None or node.children:
            continue
        problem = _check_node(form, node, bind, context)
        if problem:
            problems.append(f"{node.path} = {node.text!r}: {problem}")
    return problems


def _check_node(form: FormModel, node: Node, bind: dict[str, str], context) -> str | None:
    relevant = is_relevant(form, node, context)
    value = node.text
    if not relevant:
        return "not relevant but has a value" if value else None
    if "calculate" in bind:
        expected = to_string(atomize(evaluate(bind["calculate"], node, context), context))
        expected = {"true": "1", "false": "0", "NaN": ""}.get(expected, expected)
        return None if value == expected else f"calculate gives {expected!r}"
    if value == "":
        required = bind.get("required") == "true()" and bind.get("readonly") != "true()"
        return "required but empty" if required else None
    type_problem = answers.type_problem(bind.get("type", "string"), value)
    if type_problem:
        return type_problem
    control = form.controls.get(node.path)
    if control is not None and control.tag in ("select1", "select"):
        allowed = answers.choices(control, node, context)
        picked = value.split() if control.tag == "select" else [value]
        unknown = [choice for choice in picked if choice not in allowed]
        if unknown:
            return f"not a choice: {' '.join(unknown)}"
    constraint = bind.get("constraint")
    if constraint and not evaluate_boolean(constraint, node, context):
        return f"violates constraint {constraint.strip()}"
    return None


def entity_records(form: FormModel, document: Node) -> list[EntityRecord]:
    """Return each entity block with the saveto properties in its scope."""
    records = []
    for node in document.iter():
        if node.name != "entity" or "dataset" not in node.attributes:
            continue
        scope = node.parent.parent
        properties = {}
        for candidate in scope.iter():
            saveto = form.binds.get(candidate.path, {}).get(ENTITIES_SAVETO)
            if saveto and _repeat_scope(form, candidate) is _repeat_scope(form, node):
                properties[saveto] = candidate.text
        label = next((child.text for child in node.children if child.name == "label"), "")
        attributes = {name: a.text for name, a in node.attributes.items()}
        records.append(
            EntityRecord(
                dataset=attributes["dataset"],
                id=attributes.get("id", ""),
                create=attributes.get("create") in ("1", "true"),
                update=attributes.get("update") in ("1", "true"),
                label=label,
                base_version=attributes.get("baseVersion", ""),
                properties=properties,
            )
        )
    return records


def _repeat_scope(form: FormModel, node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.path not in form.repeats:
        current = current.parent
    return current
