"""A small XPath 1.0 evaluator for the ODK XForms expressions of the shipped forms.

It covers what `relevant`, `constraint`, `calculate`, itemset and `setvalue` expressions
in forms/ use: paths with predicates, `instance()` and `current()`, the operators, and the
ODK functions listed in `FUNCTIONS`. Values of primary instance nodes are typed by their
bind, as JavaRosa does: an `int` node compares as a number and a `date` node as a date.
A comparison with a node-set of more than one node raises `XPathError`, as in JavaRosa,
instead of the existential comparison of XPath 1.0. Anything outside the subset raises
`XPathError`, so a new construct in a form fails loudly here rather than passing.
"""

import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

EPOCH = date(1970, 1, 1)


class XPathError(ValueError):
    """An expression outside the supported subset, or a type error while evaluating."""


@dataclass(eq=False)
class Node:
    """An element or attribute of an instance, with a parent link for `..`."""

    name: str
    text: str = ""
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    attributes: dict[str, "Node"] = field(default_factory=dict)
    is_attribute: bool = False

    def append(self, child: "Node") -> "Node":
        child.parent = self
        self.children.append(child)
        return child

    def set_attribute(self, name: str, value: str) -> "Node":
        node = Node(name, value, parent=self, is_attribute=True)
        self.attributes[name] = node
        return node

    def string_value(self) -> str:
        if not self.children:
            return self.text
        return "".join(child.string_value() for child in self.children)

    @property
    def path(self) -> str:
        """Return the absolute path without repeat indexes, as bind nodesets write it."""
        if self.parent is None:
            return ""
        step = f"@{self.name}" if self.is_attribute else self.name
        return f"{self.parent.path}/{step}"

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()


@dataclass
class Context:
    """What an expression needs besides its context node."""

    root: Node  # document node of the primary instance; its child is the form root
    instances: dict[str, Node]
    types: dict[str, str]
    today: date
    new_uuid: Callable[[], str] = field(default_factory=lambda: lambda: str(uuid.uuid4()))


# ---------------------------------------------------------------------------------------
# Parsing

TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?|\.\d+)"
    r"|(?P<string>'[^']*'|\"[^\"]*\")"
    r"|(?P<op>!=|<=|>=|//|\.\.|[=<>+\-*|()\[\],/.@])"
    r"|(?P<name>[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?))"
)
OPERATOR_NAMES = {"and", "or", "div", "mod"}


def tokenize(expression: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    expression = expression.rstrip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        if match is None or match.end() == position:
            raise XPathError(f"cannot read {expression[position:]!r} in {expression!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class Parser:
    """Recursive descent over the XPath 1.0 grammar; returns nested tuples."""

    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = tokenize(expression)
        self.position = 0

    def parse(self):
        tree = self.binary(0)
        if self.position != len(self.tokens):
            raise XPathError(f"unexpected {self.peek()[1]!r} in {self.expression!r}")
        return tree

    def peek(self, offset: int = 0) -> tuple[str, str]:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if value is not None and token[1] != value:
            raise XPathError(
                f"expected {value!r} but found {token[1]!r} in {self.expression!r}"
            )
        self.position += 1
        return token

    LEVELS = (
        ("or",),
        ("and",),
        ("=", "!="),
        ("<", "<=", ">", ">="),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def operator_here(self, level: int) -> str | None:
        kind, value = self.peek()
        if kind in ("op", "name") and value in self.LEVELS[level]:
            return value
        return None

    def binary(self, level: int):
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while operator := self.operator_here(level):
            self.take()
            left = ("binary", operator, left, self.binary(level + 1))
        return left

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("negate", self.unary())
        left = self.path()
        while self.peek() == ("op", "|"):
            self.take()
            left = ("union", left, self.path())
        return left

    def path(self):
        kind, value = self.peek()
        if value == "/":
            self.take()
            steps = self.steps() if self.starts_step() else []
            return ("path", ("root",), steps)
        if kind in ("number", "string") or value == "(" or self.is_function_call():
            primary = self.primary()
            predicates = self.predicates()
            if self.peek()[1] in ("/", "//"):
                self.take()
                return ("path", ("filter", primary, predicates), self.steps())
            return ("filter", primary, predicates) if predicates else primary
        return ("path", None, self.steps())

    def starts_step(self) -> bool:
        kind, value = self.peek()
        return kind == "name" or value in (".", "..", "@")

    def is_function_call(self) -> bool:
        kind, value = self.peek()
        return kind == "name" and value not in OPERATOR_NAMES and self.peek(1)[1] == "("

    def steps(self) -> list:
        steps = [self.step()]
        while self.peek()[1] in ("/", "//"):
            if self.take()[1] == "//":
                raise XPathError(f"'//' is not supported in {self.expression!r}")
            steps.append(self.step())
        return steps

    def step(self):
        kind, value = self.take()
        if value in (".", ".."):
            return (value, [])
        if value == "@":
            return ("@", self.take()[1])
        if kind != "name":
            raise XPathError(
                f"expected a node name, found {value!r} in {self.expression!r}"
            )
        return ("child", value, self.predicates())

    def predicates(self) -> list:
        found = []
        while self.peek() == ("op", "["):
            self.take()
            found.append(self.binary(0))
            self.take("]")
        return found

    def primary(self):
        kind, value = self.take()
        if kind == "number":
            return ("number", float(value))
        if kind == "string":
            return ("string", value[1:-1])
        if value == "(":
            inner = self.binary(0)
            self.take(")")
            return inner
        self.take("(")
        arguments = []
        while self.peek()[1] != ")":
            arguments.append(self.binary(0))
            if self.peek()[1] == ",":
                self.take()
        self.take(")")
        return ("call", value, arguments)


_parsed: dict[str, tuple] = {}


def parse(expression: str):
    if expression not in _parsed:
        _parsed[expression] = Parser(expression).parse()
    return _parsed[expression]


# ---------------------------------------------------------------------------------------
# Values and conversions


def node_value(node: Node, context: Context):
    """Return a node's value typed by its bind: float, date, datetime or str."""
    text = node.string_value()
    kind = context.types.get(node.path) if _in_primary(node, context) else None
    if text == "" or kind is None:
        return text
    if kind in ("int", "decimal"):
        return float(text)
    if kind == "date":
        return date.fromisoformat(text[:10])
    if kind == "dateTime":
        return datetime.fromisoformat(text)
    return text


def _in_primary(node: Node, context: Context) -> bool:
    while node.parent is not None:
        node = node.parent
    return node is context.root


def atomize(value, context: Context):
    if isinstance(value, list):
        if len(value) > 1:
            names = ", ".join(sorted({node.path for node in value}))
            raise XPathError(f"expected one node but found {len(value)}: {names}")
        return node_value(value[0], context) if value else ""
    return value


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, datetime):
        return (value - datetime(1970, 1, 1, tzinfo=value.tzinfo)).total_seconds() / 86400
    if isinstance(value, date):
        return float((value - EPOCH).days)
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return to_number(date.fromisoformat(text)) if len(text) == 10 else math.nan
    except ValueError:
        return math.nan


def to_string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value == int(value) else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def to_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else EPOCH + timedelta(days=int(value))
    if value.strip() == "":
        return None
    return date.fromisoformat(value.strip()[:10])


def compare(operator: str, left, right) -> bool:
    if operator in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_boolean(left) == to_boolean(right)
        elif isinstance(left, (float, date)) or isinstance(right, (float, date)):
            equal = to_number(left) == to_number(right)
        else:
            equal = to_string(left) == to_string(right)
        return equal if operator == "=" else not equal
    a, b = to_number(left), to_number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]


# ---------------------------------------------------------------------------------------
# Evaluation


def evaluate(expression: str, node: Node, context: Context):
    """Evaluate `expression` with `node` as both the context node and `current()`."""
    return _eval(parse(expression), node, node, context)


def evaluate_boolean(expression: str, node: Node, context: Context) -> bool:
    return to_boolean(atomize(evaluate(expression, node, context), context))


def _eval(tree, node: Node, current: Node, context: Context):
    kind = tree[0]
    if kind in ("number", "string"):
        return tree[1]
    if kind == "negate":
        return -to_number(atomize(_eval(tree[1], node, current, context), context))
    if kind == "binary":
        return _binary(tree, node, current, context)
    if kind == "union":
        left = _eval(tree[1], node, current, context)
        right = _eval(tree[2], node, current, context)
        return left + [item for item in right if item not in left]
    if kind == "path":
        return _path(tree, node, current, context)
    if kind == "filter":
        found = _eval(tree[1], node, current, context)
        return _filter(found, tree[2], current, context)
    if kind == "call":
        return _call(tree, node, current, context)
    raise XPathError(f"unknown expression node {kind!r}")


def _binary(tree, node: Node, current: Node, context: Context):
    _, operator, left_tree, right_tree = tree
    left = atomize(_eval(left_tree, node, current, context), context)
    if operator == "and" and not to_boolean(left):
        return False
    if operator == "or" and to_boolean(left):
        return True
    right = atomize(_eval(right_tree, node, current, context), context)
    if operator in ("and", "or"):
        return to_boolean(right)
    if operator in ("=", "!=", "<", "<=", ">", ">="):
        return compare(operator, left, right)
    a, b = to_number(left), to_number(right)
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "div":
        return a / b if b else math.copysign(math.inf, a) if a else math.nan
    return math.fmod(a, b) if b else math.nan


def _path(tree, node: Node, current: Node, context: Context) -> list[Node]:
    _, start, steps = tree
    if start is None:
        nodes = [node]
    elif start == ("root",):
        nodes = [context.root]
    else:
        nodes = _eval(start, node, current, context)
        if not isinstance(nodes, list):
            raise XPathError("a path step follows a value that is not a node-set")
    for step in steps:
        nodes = _step(nodes, step, current, context)
    return nodes


def _step(nodes: list[Node], step, current: Node, context: Context) -> list[Node]:
    found: list[Node] = []
    for node in nodes:
        if step[0] == ".":
            candidates = [node]
        elif step[0] == "..":
            candidates = [node.parent] if node.parent is not None else []
        elif step[0] == "@":
            attribute = node.attributes.get(step[1])
            candidates = [attribute] if attribute is not None else []
        else:
            candidates = [child for child in node.children if child.name == step[1]]
            candidates = _filter(candidates, step[2], current, context)
        found.extend(candidate for candidate in candidates if candidate not in found)
    return found


def _filter(nodes, predicates, current: Node, context: Context):
    for predicate in predicates:
        kept = []
        for position, candidate in enumerate(nodes, start=1):
            value = _eval(predicate, candidate, current, context)
            if isinstance(value, float):
                keep = value == position
            elif isinstance(value, list):
                keep = bool(value)
            else:
                keep = to_boolean(value)
            if keep:
                kept.append(candidate)
        nodes = kept
    return nodes


def _call(tree, node: Node, current: Node, context: Context):
    _, name, argument_trees = tree
    if name == "current":
        return [current]
    if name == "instance":
        instance_id = to_string(_eval(argument_trees[0], node, current, context))
        if instance_id not in context.instances:
            raise XPathError(f"instance {instance_id!r} has no data")
        return [context.instances[instance_id]]
    if name == "indexed-repeat":
        return _indexed_repeat(argument_trees, node, current, context)
    if name not in FUNCTIONS:
        raise XPathError(f"function {name}() is not supported")
    arguments = [_eval(argument, node, current, context) for argument in argument_trees]
    if name in ("count", "sum", "position"):
        return FUNCTIONS[name](*arguments, context=context)
    values = [atomize(argument, context) for argument in arguments]
    return FUNCTIONS[name](*values, context=context)


def _indexed_repeat(argument_trees, node: Node, current: Node, context: Context):
    # indexed-repeat(/data/r/field, /data/r, n) reads field in the n-th entry of r.
    field_tree, repeat_tree, index_tree = argument_trees
    repeat_path = _path_text(repeat_tree)
    field_path = _path_text(field_tree)
    if not field_path.startswith(repeat_path + "/"):
        raise XPathError(f"indexed-repeat: {field_path} is not inside {repeat_path}")
    entries = _eval(repeat_tree, node, current, context)
    index = to_number(atomize(_eval(index_tree, node, current, context), context))
    if math.isnan(index) or not 1 <= index <= len(entries):
        return []
    relative = field_path[len(repeat_path) + 1 :]
    return _eval(parse(relative), entries[int(index) - 1], current, context)


def _path_text(tree) -> str:
    if tree[0] != "path" or tree[1] != ("root",):
        raise XPathError("indexed-repeat needs absolute paths")
    if any(step[0] != "child" or step[2] for step in tree[2]):
        raise XPathError("indexed-repeat paths must be plain child steps")
    return "/" + "/".join(step[1] for step in tree[2])


def _position(nodes: list[Node], context: Context) -> float:
    # ODK position(node): the 1-based index of a repeat entry among its same-named
    # siblings, as in position(..) inside a repeat.
    if len(nodes) != 1:
        raise XPathError(f"position() needs one node but found {len(nodes)}")
    node = nodes[0]
    if node.parent is None:
        return 1.0
    siblings = [child for child in node.parent.children if child.name == node.name]
    return float(siblings.index(node) + 1)


def _if(condition, then, otherwise, context):
    return then if to_boolean(condition) else otherwise


def _coalesce(first, second, context):
    return first if to_string(first) != "" else second


def _selected(answer, choice, context):
    return to_string(choice).strip() in to_string(answer).split()


def _format_date(value, pattern, context):
    moment = value if isinstance(value, (date, datetime)) else to_date(value)
    if moment is None:
        return ""
    codes = {"%Y": "%Y", "%m": "%m", "%d": "%d", "%H": "%H", "%M": "%M", "%S": "%S"}
    unsupported = set(re.findall(r"%.", pattern)) - set(codes)
    if unsupported:
        raise XPathError(f"format-date: {', '.join(sorted(unsupported))} not supported")
    return moment.strftime(pattern)


def _round(value, digits=0.0, context=None):
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    scale = 10 ** int(to_number(digits))
    # XPath and JavaRosa round halves up, not to even as Python's round() does.
    return math.floor(number * scale + 0.5) / scale


def _regex(value, pattern, context):
    return re.search(to_string(pattern), to_string(value)) is not None


def _decimal_date_time(value, context):
    return (
        to_number(value)
        if isinstance(value, (date, datetime))
        else to_number(to_date(value) or math.nan)
    )


FUNCTIONS: dict[str, Callable] = {
    "if": _if,
    "coalesce": _coalesce,
    "concat": lambda *parts, context: "".join(to_string(part) for part in parts),
    "count": lambda nodes, context: float(len(nodes)),
    "position": _position,
    "sum": lambda nodes, context: float(
        sum(to_number(node_value(node, context)) for node in nodes)
    ),
    "date": lambda value, context: to_date(value) or "",
    "decimal-date-time": _decimal_date_time,
    "format-date": _format_date,
    "int": lambda value, context: (
        float(math.trunc(to_number(value)))
        if not math.isnan(to_number(value))
        else math.nan
    ),
    "number": lambda value, context: to_number(value),
    "string": lambda value, context: to_string(value),
    "string-length": lambda value, context: float(len(to_string(value))),
    "round": _round,
    "selected": _selected,
    "count-selected": lambda value, context: float(len(to_string(value).split())),
    "not": lambda value, context: not to_boolean(value),
    "true": lambda context: True,
    "false": lambda context: False,
    "regex": _regex,
    "today": lambda context: context.today,
    "uuid": lambda context: context.new_uuid(),
}
