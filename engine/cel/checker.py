"""Static checking: resolve names, fields and overloads, and give every node a type.

Mistakes a policy author can make in the editor (a misspelt field, a string compared with a
number, an unknown function) are found here, before any document is read, with the position
and a suggestion. What cannot be known statically (`dyn`) is left to runtime dispatch.
"""

from __future__ import annotations

from typing import Mapping, Optional

from .ast import MACROS, Call, Comprehension, Ident, ListExpr, Literal, MapExpr, MessageExpr, Node, Select, qualified_name
from .errors import CelEvaluationError, CelSyntaxError, CelTypeError, closest, meant, unknown_name
from ..limits import MAX_EXPRESSION_ERRORS
from .functions import FUNCTIONS
from .formatting import clauses, count_problem, type_problem
from .regex import compile_regex, glob_regex
from .temporal import time_layout
from .types import (BOOL, DURATION, DYN, INT, NULL, NUMERIC, STRING, TIMESTAMP, TYPE, UINT, DOUBLE, ListType, MapType, RecordType, Type,
                    assignable, iteration_type, join, list_of, map_of, resolve)
from .values import INT_MAX, INT_MIN, TYPE_CONSTANTS

_LITERAL_TYPES = {"int": INT, "uint": UINT, "double": DOUBLE, "string": STRING, "bytes": Type("bytes"),
                  "bool": BOOL, "null_type": NULL}
_SPECIAL = frozenset({"_&&_", "_||_", "_?_:_", "_==_", "_!=_", "@in", "_[_]"})


class Checked:
    """The checker's verdict: each node's type, chosen overloads and resolved names (by node id)."""

    __slots__ = ("root", "types", "overloads", "names")

    def __init__(self, root: Node):
        self.root = root
        self.types: dict = {}
        self.overloads: dict = {}
        self.names: dict = {}

    @property
    def result_type(self) -> Type:
        return self.types[id(self.root)]


def check(root: Node, declarations: Optional[Mapping] = None) -> Checked:
    """Type-check an AST. declarations=None makes every free name `dyn`, resolved at runtime."""
    declared = None if declarations is None else {name: resolve(t) for name, t in declarations.items()}
    checked = Checked(root)
    checker = _Checker(checked, declared)
    try:
        checker.visit(root, {})
    except _Enough:
        pass
    if checker.errors:
        # In source order, as a reader meets them (an argument is checked before its call).
        checker.errors.sort(key=lambda error: (error.span is None, error.span.start if error.span else 0))
        first, *others = checker.errors
        first.more = tuple(others)
        raise first
    return checked


class _Enough(Exception):
    """MAX_EXPRESSION_ERRORS found: the check stops there."""


class _Checker:
    def __init__(self, checked: Checked, declared: Optional[dict]):
        self.checked = checked
        self.declared = declared
        self.errors: list = []

    def visit(self, node: Node, scope: dict) -> Type:
        method = getattr(self, "visit_" + type(node).__name__)
        try:
            result = method(node, scope)
        except CelTypeError as error:
            # Go on past a wrong node as `dyn` (which fits anywhere, so no second error about
            # its parent) to find the expression's other mistakes.
            self.errors.append(error)
            if len(self.errors) >= MAX_EXPRESSION_ERRORS:
                raise _Enough() from None
            result = DYN
        self.checked.types[id(node)] = result
        return result

    def visit_Literal(self, node: Literal, scope) -> Type:
        if node.type_name == "int" and not INT_MIN <= node.value <= INT_MAX:
            raise CelSyntaxError("integer literal out of range", node.span)
        return _LITERAL_TYPES[node.type_name]

    def visit_Ident(self, node: Ident, scope) -> Type:
        found = self._lookup(node.name, scope)
        if found is not None:
            return found
        candidates = set(scope) | set(self.declared or ()) | {"true", "false", "null"}
        raise unknown_name(f"undeclared reference to '{node.name}'", node.name, candidates, node.span)

    def _lookup(self, name: str, scope) -> Optional[Type]:
        name = name[1:] if name.startswith(".") else name
        if name in scope:
            return scope[name]
        if self.declared is None:
            return TYPE if name in TYPE_CONSTANTS else DYN
        if name in self.declared:
            return self.declared[name]
        if name in TYPE_CONSTANTS:
            return TYPE
        return None

    def visit_Select(self, node: Select, scope) -> Type:
        qualified = None if node.test_only else qualified_name(node)
        if qualified:
            qualified = qualified.lstrip(".")  # `.x` names x in the root namespace
        if qualified and qualified.split(".", 1)[0] not in scope:
            if self.declared is not None and qualified in self.declared:
                self.checked.names[id(node)] = qualified
                return self.declared[qualified]
            if qualified in TYPE_CONSTANTS:
                self.checked.names[id(node)] = qualified
                return TYPE
        operand = self.visit(node.operand, scope)
        field_type = self._field_type(operand, node)
        return BOOL if node.test_only else field_type

    def _field_type(self, operand: Type, node: Select) -> Type:
        if isinstance(operand, RecordType):
            if node.field in operand.fields:
                return operand.fields[node.field]
            raise unknown_name(f"`{operand.name}` has no field `{node.field}`", node.field, operand.fields,
                               node.field_span or node.span)
        if isinstance(operand, MapType):
            if operand.key not in (STRING, DYN):
                raise CelTypeError(f"cannot select a field from {operand}: its keys are not strings", node.span)
            return operand.value
        if operand == DYN:
            return DYN
        raise CelTypeError(f"cannot select field `{node.field}` from a value of type {operand}",
                           node.field_span or node.span)

    def visit_ListExpr(self, node: ListExpr, scope) -> Type:
        element = None
        for item in node.elements:
            t = self.visit(item, scope)
            element = t if element is None else join(element, t)
        return list_of(element or DYN)

    def visit_MapExpr(self, node: MapExpr, scope) -> Type:
        key_type = value_type = None
        for key, value in node.entries:
            k, v = self.visit(key, scope), self.visit(value, scope)
            if k not in (INT, UINT, BOOL, STRING, DYN):
                raise CelTypeError(f"a map key must be int, uint, bool or string, not {k}", key.span)
            key_type = k if key_type is None else join(key_type, k)
            value_type = v if value_type is None else join(value_type, v)
        return map_of(key_type or DYN, value_type or DYN)

    def visit_MessageExpr(self, node: MessageExpr, scope) -> Type:
        raise CelTypeError(f"message construction ({node.type_name}{{...}}) is not supported: documents are maps",
                           node.span)

    def visit_Comprehension(self, node: Comprehension, scope) -> Type:
        range_type = self.visit(node.range, scope)
        variable = iteration_type(range_type)
        if variable is None:
            raise CelTypeError(f"{node.macro}() needs a list or a map, not {range_type}", node.range.span)
        inner = {**scope, node.variable: variable}
        if node.filter is not None:
            self._expect_bool(self.visit(node.filter, inner), node.filter, f"the filter of {node.macro}()")
        body = self.visit(node.body, inner)
        if node.macro == "map":
            return list_of(body)
        elements = range_type if isinstance(range_type, ListType) else list_of(variable)
        if node.macro == "groupBy":
            if body not in _GROUP_KEYS:
                raise CelTypeError(f"a groupBy() key must be an int, uint, string or bool, not {body}", node.body.span)
            return map_of(body, elements)
        if node.macro == "sortBy":
            if not _sortable(body):
                raise CelTypeError(f"a sortBy() key must be an int, uint, double, string, bytes, bool, timestamp or "
                                   f"duration, or a list of them, not {body}", node.body.span)
            return elements
        self._expect_bool(body, node.body, f"the condition of {node.macro}()")
        if node.macro == "filter":
            return range_type if isinstance(range_type, ListType) else list_of(variable)
        return BOOL

    def _expect_bool(self, t: Type, node: Node, what: str) -> None:
        if t not in (BOOL, DYN):
            raise CelTypeError(f"{what} must be a bool, not {t}", node.span)

    def visit_Call(self, node: Call, scope) -> Type:
        if node.function not in _SPECIAL and node.function.lstrip(".") not in FUNCTIONS:
            return self._unknown_function(node, scope)
        target = self.visit(node.target, scope) if node.target is not None else None
        args = [self.visit(a, scope) for a in node.args]
        if node.function in _SPECIAL and target is None:
            return getattr(self, _SPECIAL_METHODS[node.function])(node, args)
        return self._resolve(node, ([target] if target is not None else []) + args)

    def _unknown_function(self, node: Call, scope) -> Type:
        """A call of no function: one error at its name, with the closest function or macro
        (`has` for a global call) as the "did you mean". When that is a macro (`l.groupby(i,
        i.branch)`), the first argument is taken as its variable, so the misspelling is not also
        reported as undeclared names; the other arguments are checked as the macro's would be."""
        name = node.function.lstrip(".")
        method = node.target is not None
        suggestion = closest(name, set(FUNCTIONS) | (MACROS if method else {"has"}))
        args = node.args
        if method:
            self.visit(node.target, scope)
            if suggestion in MACROS and args and isinstance(args[0], Ident):
                scope, args = {**scope, args[0].name.lstrip("."): DYN}, args[1:]
        for arg in args:
            self.visit(arg, scope)
        raise CelTypeError(f"undeclared reference to function '{name}'" + meant(suggestion),
                           node.name_span or node.span, suggestion)

    def _resolve(self, node: Call, arg_types: list) -> Type:
        name = node.function[1:] if node.function.startswith(".") else node.function
        overloads = FUNCTIONS[name]
        span = node.name_span or node.span
        method = node.target is not None
        arity = [o for o in overloads if o.method == method and len(o.params) == len(arg_types)]
        if not arity:
            style = f"method .{name}()" if method else f"function {name}()"
            counts = sorted({len(o.params) - o.method for o in overloads if o.method == method})
            if not counts:
                other = "a function: call it as " + f"{name}(x)" if method else f"a method: call it as x.{name}()"
                raise CelTypeError(f"'{name}' is {other}", span)
            raise CelTypeError(f"{style} takes {' or '.join(map(str, counts))} argument(s), "
                               f"not {len(arg_types) - method}", span)
        candidates = [o for o in arity if o.accepts_static(arg_types)]
        if not candidates:
            shown = ", ".join(str(t) for t in arg_types)
            raise CelTypeError(f"no matching overload for '{_display(name)}' applied to ({shown})", span)
        self.checked.overloads[id(node)] = candidates
        if name in _PATTERN_FUNCTIONS:
            self._check_pattern(node, _PATTERN_FUNCTIONS[name])
        elif name == "format" and method:
            self._check_format(node)
        elif name == "formatTime":
            self._check_time_layout(node.args[0])
        results = {o.result_type(tuple(arg_types)) for o in candidates}
        return results.pop() if len(results) == 1 else DYN

    def _check_pattern(self, node: Call, compile_pattern) -> None:
        """A pattern written in the expression is compiled now: its mistakes (and patterns beyond
        the limits) are errors at the pattern, before any document is read."""
        pattern = node.args[-1]
        if isinstance(pattern, Literal) and pattern.type_name == "string":
            try:
                compile_pattern(pattern.value)
            except CelEvaluationError as error:
                raise CelTypeError(error.message, pattern.span) from None

    def _check_format(self, node: Call) -> None:
        """A template written in the expression is read now: an unknown clause is an error at the
        template; when the values are written as a list too, their number and types are checked,
        each at its value."""
        template, values = node.target, node.args[0]
        if not (isinstance(template, Literal) and template.type_name == "string"):
            return
        try:
            found = clauses(template.value)
        except CelEvaluationError as error:
            raise CelTypeError(error.message, template.span) from None
        if not isinstance(values, ListExpr):
            return
        problem = count_problem(len(found), len(values.elements))
        if problem:
            raise CelTypeError(problem, values.span)
        for position, (clause, value) in enumerate(zip(found, values.elements), 1):
            problem = type_problem(clause, position, _static_name(self.checked.types[id(value)]))
            if problem:
                raise CelTypeError(problem, value.span)

    @staticmethod
    def _check_time_layout(layout: Node) -> None:
        """A formatTime layout written in the expression is read now: an unknown directive is an
        error at the layout."""
        if isinstance(layout, Literal) and layout.type_name == "string":
            try:
                time_layout(layout.value)
            except CelEvaluationError as error:
                raise CelTypeError(error.message, layout.span) from None

    def _logical(self, node: Call, args) -> Type:
        for arg, t in zip(node.args, args):
            self._expect_bool(t, arg, f"an operand of {_display(node.function)}")
        return BOOL

    def _conditional(self, node: Call, args) -> Type:
        self._expect_bool(args[0], node.args[0], "the condition of ?:")
        return join(args[1], args[2])

    def _equality(self, node: Call, args) -> Type:
        left, right = args
        if not (assignable(left, right) or assignable(right, left) or (left in NUMERIC and right in NUMERIC)
                or NULL in (left, right)):
            raise CelTypeError(f"no matching overload for '{_display(node.function)}' applied to ({left}, {right})",
                               node.name_span or node.span)
        return BOOL

    def _membership(self, node: Call, args) -> Type:
        element, container = args
        expected = iteration_type(container)
        if expected == DYN:
            return BOOL
        if expected is None:
            raise CelTypeError(f"'in' needs a list or a map on its right, not {container}", node.args[1].span)
        if not (assignable(expected, element) or (expected in NUMERIC and element in NUMERIC)):
            raise CelTypeError(f"no matching overload for 'in' applied to ({element}, {container})",
                               node.name_span or node.span)
        return BOOL

    def _index(self, node: Call, args) -> Type:
        container, key = args
        if isinstance(container, ListType):
            if key not in (INT, UINT, DYN):
                raise CelTypeError(f"a list index must be an int, not {key}", node.args[1].span)
            return container.element
        if isinstance(container, MapType):
            if not (assignable(container.key, key) or (container.key in NUMERIC and key in NUMERIC)):
                raise CelTypeError(f"a key of {container} cannot be {key}", node.args[1].span)
            return container.value
        if isinstance(container, RecordType):
            literal = node.args[1]
            if isinstance(literal, Literal) and literal.type_name == "string":
                if literal.value not in container.fields:
                    raise unknown_name(f"`{container.name}` has no field `{literal.value}`", literal.value,
                                       container.fields, literal.span)
                return container.fields[literal.value]
            return DYN
        if container == DYN:
            return DYN
        raise CelTypeError(f"cannot index a value of type {container}", node.span)


_GROUP_KEYS = frozenset({INT, UINT, STRING, BOOL, DYN})
_SORT_KEYS = frozenset({INT, UINT, DOUBLE, STRING, Type("bytes"), BOOL, TIMESTAMP, DURATION, DYN})


def _sortable(t: Type) -> bool:
    return t in _SORT_KEYS or (isinstance(t, ListType) and _sortable(t.element))


_PATTERN_FUNCTIONS = {"matches": compile_regex, "findAll": compile_regex, "matchesGlob": glob_regex}
_SPECIAL_METHODS = {"_&&_": "_logical", "_||_": "_logical", "_?_:_": "_conditional", "_==_": "_equality",
                    "_!=_": "_equality", "@in": "_membership", "_[_]": "_index"}
_OPERATOR_NAMES = {"_+_": "+", "_-_": "-", "_*_": "*", "_/_": "/", "_%_": "%", "_<_": "<", "_<=_": "<=",
                   "_>_": ">", "_>=_": ">=", "_==_": "==", "_!=_": "!=", "_&&_": "&&", "_||_": "||", "!_": "!",
                   "-_": "-", "@in": "in", "_[_]": "[]", "_?_:_": "?:"}


def _static_name(t: Type) -> str:
    """A static type as a format clause names it (`dyn` takes anything until runtime)."""
    if isinstance(t, (ListType, MapType, RecordType)):
        return "list" if isinstance(t, ListType) else "map"
    return str(t)


def _display(function: str) -> str:
    return _OPERATOR_NAMES.get(function, function)
