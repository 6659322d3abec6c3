"""Candidate answers per bind type, tried in seeded random order until one fits.

An answer fits when the question's `constraint` holds for it. Don't know (-98) and
refused (-99) come first now and then, so that both the codes and the questions behind
real answers appear across a batch of instances.
"""

import csv
import io
import math
import re
from datetime import date, datetime, timedelta

from xpath_subset import (
    Context,
    Node,
    atomize,
    evaluate,
    evaluate_boolean,
    to_string,
)

CODES = (-98, -99)
CODE_SHARE = 0.08
SKIP_OPTIONAL_SHARE = 0.25
CODE_CHOICES = ("dk", "refused")
EXCLUSIVE_CHOICES = (*CODE_CHOICES, "none")
SINGLE_CHOICE_SHARE = 0.3

# Text answers include non-ASCII letters and XML special characters, so that storing
# and serving an instance byte for byte is tested with more than ASCII.
TEXTS = (
    "Amina Juma",
    "Baraka Mwakyusa",
    "Zoë Ndlovu",
    "José Muñoz Peña",
    "Nguyễn Thị Hoa",
    "Ñandutí weavers' co-op",
    "Mama Ntilie & Sons <Ltd>",
    'Halima "Mama" Said',
    "Behind the market, 2nd street",
    "Shkodër",
    "Tuzla – Bosna i Hercegovina",
    "Maputo, bairro Polana Caniço",
)
PHONE_PREFIXES = ("+2557", "07", "+3556", "+2588", "09")


def choices(control, node: Node, context: Context) -> list[str]:
    """Return the choice values a select offers at `node`, after its choice filter."""
    if control.itemset is None:
        return list(control.items)
    items = evaluate(control.itemset, node, context)
    return [
        to_string(atomize(evaluate(control.value_ref, item, context), context))
        for item in items
    ]


def answer(filler, node: Node, bind: dict[str, str], control) -> str:
    """Return an answer that satisfies the question's constraint, or '' if optional."""
    from submission_instances import Unfillable

    required = bind.get("required") == "true()"
    override = filler.overrides.get(node.path)
    if override is not None:
        if isinstance(override, list):
            override = override[filler.entry_index]
        return override
    if node.text and _fits(node.text, node, bind, filler.context):
        return node.text  # the enumerator keeps a value filled in by setvalue
    if not required and filler.rng.random() < SKIP_OPTIONAL_SHARE:
        return ""
    for candidate in candidates(filler, node, bind, control):
        if _fits(candidate, node, bind, filler.context):
            return candidate
    if required:
        raise Unfillable(node.path)
    return ""


def _fits(candidate: str, node: Node, bind: dict[str, str], context: Context) -> bool:
    constraint = bind.get("constraint")
    if not constraint:
        return True
    previous, node.text = node.text, candidate
    try:
        return evaluate_boolean(constraint, node, context)
    finally:
        node.text = previous


def candidates(filler, node: Node, bind: dict[str, str], control) -> list[str]:
    rng = filler.rng
    if control.tag == "select1":
        return _ordered_choices(rng, choices(control, node, filler.context))
    if control.tag == "select":
        return _choice_sets(rng, choices(control, node, filler.context))
    kind = bind.get("type", "string")
    if kind == "int":
        return [str(value) for value in _integers(rng)]
    if kind == "decimal":
        amounts = [round(rng.uniform(0, 250000), 2) for _ in range(5)]
        values = [*_codes_first(rng), *amounts, *range(51)]
        return [to_string(float(value)) for value in values]
    if kind == "date":
        return [day.isoformat() for day in _dates(rng, filler.today)]
    if kind == "dateTime":
        return [filler.started.isoformat(timespec="milliseconds")]
    if kind == "geopoint":
        return [_geopoint(rng)]
    if kind == "binary":
        return [_image(filler, node)]
    return _texts(rng)


def _ordered_choices(rng, values: list[str]) -> list[str]:
    """Shuffle the choices, with don't know and refused last unless drawn first."""
    ordered = rng.sample(values, len(values))
    if rng.random() < CODE_SHARE:
        return ordered
    usual = [value for value in ordered if value not in CODE_CHOICES]
    return usual + [value for value in ordered if value in CODE_CHOICES]


def _choice_sets(rng, values: list[str]) -> list[str]:
    """Return sets of up to three choices, or single choices (such as none) first."""
    if rng.random() < SINGLE_CHOICE_SHARE:
        return _ordered_choices(rng, values)
    usual = [value for value in values if value not in EXCLUSIVE_CHOICES]
    sets = []
    for _ in range(6):
        if usual:
            size = rng.randint(1, min(3, len(usual)))
            sets.append(" ".join(rng.sample(usual, size)))
    return sets + _ordered_choices(rng, values)


def _codes_first(rng) -> list[int]:
    return list(CODES) if rng.random() < CODE_SHARE else []


def _integers(rng) -> list[int]:
    small = rng.sample(range(51), 51)
    years = rng.sample(range(1950, 2027), 2027 - 1950)
    return [*_codes_first(rng), *small, *years, 100, 1000, *CODES]


def _dates(rng, today: date) -> list[date]:
    recent = [today - timedelta(days=days) for days in rng.sample(range(61), 61)]
    span = (today - date(1925, 1, 1)).days
    older = [today - timedelta(days=rng.randrange(span)) for _ in range(40)]
    return recent[:5] + older + recent[5:]


def _geopoint(rng) -> str:
    latitude = rng.uniform(-11.5, -1.0)
    longitude = rng.uniform(29.5, 40.4)
    altitude = rng.uniform(0, 1800)
    accuracy = rng.uniform(3, 25)
    return f"{latitude:.6f} {longitude:.6f} {altitude:.1f} {accuracy:.1f}"


def _texts(rng) -> list[str]:
    phones = []
    for prefix in rng.sample(PHONE_PREFIXES, len(PHONE_PREFIXES)):
        digits = "".join(
            str(rng.randrange(10)) for _ in range(10 - len(prefix.lstrip("+")))
        )
        phones.append(prefix + digits + str(rng.randrange(10)))
    return [rng.choice(TEXTS), *phones, *TEXTS]


def _image(filler, node: Node) -> str:
    name = f"{node.name}-{len(filler.attachments) + 1}.png"
    filler.attachments[name] = (PNG_1X1, "image/png")
    return name


# A valid 1x1 PNG, enough for a server that stores attachments without decoding them.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d0c7c80000000049454e44ae426082"
)


def type_problem(kind: str, value: str) -> str | None:
    """Return why `value` is not a valid answer of bind type `kind`, or None."""
    checks = {
        "int": lambda text: re.fullmatch(r"-?\d+", text),
        "decimal": lambda text: re.fullmatch(r"-?\d+(\.\d+)?", text),
        "date": lambda text: date.fromisoformat(text),
        "dateTime": lambda text: datetime.fromisoformat(text),
        "geopoint": _is_geopoint,
    }
    test = checks.get(kind)
    if test is None:
        return None
    try:
        valid = bool(test(value))
    except ValueError:
        valid = False
    return None if valid else f"not a valid {kind}"


def _is_geopoint(text: str) -> bool:
    parts = [float(part) for part in text.split()]
    if len(parts) not in (2, 3, 4) or any(math.isnan(part) for part in parts):
        return False
    return -90 <= parts[0] <= 90 and -180 <= parts[1] <= 180


def audit_log(filler) -> bytes:
    """Write an audit log in Collect's format with old and new values (track-changes)."""
    start = int(filler.started.timestamp() * 1000)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["event", "node", "start", "end", "old-value", "new-value"])
    writer.writerow(["form start", "", start, "", "", ""])
    clock = start
    for path, value in filler.answered[:12]:
        writer.writerow(["question", path, clock, clock + 4000, "", value])
        clock += 4000 + filler.rng.randrange(20000)
    writer.writerow(["form save", "", clock, "", "", ""])
    writer.writerow(["form exit", "", clock, "", "", ""])
    writer.writerow(["form finalize", "", clock, "", "", ""])
    return buffer.getvalue().encode()
