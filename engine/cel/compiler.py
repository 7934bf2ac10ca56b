"""Checked AST -> a tree of Python closures, built once per expression.

Evaluation calls closures only: no tree walking, no dispatch on node kinds at runtime. Where
the checker proved the types, the operator's implementation is bound directly; constants are
folded into the closures that use them; `doc.a.b` chains become one closure. Errors are Python
exceptions; `&&`, `||`, `all` and `exists` absorb them the way the spec says (an error loses to
a deciding value on either side).

Every evaluation that can grow with its data is metered (`needs_budget`): macros charge their
iterations times the weight of their body, and `metered` functions the size of what they build
or scan (cost.py); the budget travels in the activation under COST_KEY.
"""

from __future__ import annotations

import operator
from datetime import datetime, timedelta
from typing import Callable

from ..limits import COST_BUDGET
from . import arithmetic as op
from .ast import Call, Comprehension, Ident, ListExpr, Literal, MapExpr, Node, Select, free_names, walk
from .checker import Checked
from .clock import fits
from .cost import COST_KEY, charge, scanned_contains
from .dispatch import dispatch
from .errors import CelError, CelEvaluationError, located
from .grouping import group_by, sort_by
from .regex import compile_regex
from .types import DYN, Type
from .values import TYPE_CONSTANTS, UInt

Closure = Callable[[dict], object]


def build(checked: Checked) -> "Compiled":
    compiler = Compiled(checked)
    compiler.closure = compiler.compile(checked.root)
    return compiler


class Compiled:
    """The closures of one expression, and the values of its constant sub-expressions."""

    def __init__(self, checked: Checked):
        self.checked = checked
        self.constants: dict = {}  # id(node) -> value, for nodes whose value needs no data
        self.closure: Closure | None = None

    def type_of(self, node: Node) -> Type:
        return self.checked.types.get(id(node), DYN)

    def compile(self, node: Node) -> Closure:
        return getattr(self, "compile_" + type(node).__name__)(node)

    def compile_Literal(self, node: Literal) -> Closure:
        self.constants[id(node)] = value = node.value
        return lambda act: value

    def is_constant(self, node: Node) -> bool:
        return id(node) in self.constants

    def fold(self, node: Node, closure: Closure) -> Closure:
        """Evaluate a call on constants once, at compile time (every function here is pure).

        A call that fails keeps failing at evaluation, where the error belongs to a document; so
        does one that would cost more than an evaluation may (folding is metered too).
        """
        try:
            value = closure({COST_KEY: [COST_BUDGET]})
        except CelError:
            return closure
        self.constants[id(node)] = value
        return lambda act: value

    def compile_Ident(self, node: Ident) -> Closure:
        return _variable(node.name.lstrip("."), node.span)

    def compile_Select(self, node: Select) -> Closure:
        qualified = self.checked.names.get(id(node))
        if qualified is not None:
            return _variable(qualified, node.span)
        if node.test_only:
            name, inner = node.field, node.operand
            if isinstance(inner, Select) and not inner.test_only and id(inner) not in self.checked.names:
                parent, field = self.compile(inner.operand), inner.field
                return lambda act: op.has_within(parent(act), field, name)
            operand = self.compile(inner)
            return lambda act: op.has_field(operand(act), name)
        path, root = [], node
        while isinstance(root, Select) and not root.test_only and id(root) not in self.checked.names:
            path.append(root.field)
            root = root.operand
        path.reverse()
        if isinstance(root, Ident) and root.name.lstrip(".") not in TYPE_CONSTANTS:
            return _variable_path(root.name.lstrip("."), tuple(path), node.span)
        return _path(self.compile(root), tuple(path), node.span)

    def compile_ListExpr(self, node: ListExpr) -> Closure:
        items = [self.compile(e) for e in node.elements]
        if all(self.is_constant(e) for e in node.elements):
            self.constants[id(node)] = constant = [self.constants[id(e)] for e in node.elements]
            return lambda act: constant
        return lambda act: [item(act) for item in items]

    def compile_MapExpr(self, node: MapExpr) -> Closure:
        entries = [(self.compile(k), self.compile(v)) for k, v in node.entries]
        spans = [k.span for k, _ in node.entries]

        def build_map(act):
            result = {}
            for (key, value), span in zip(entries, spans):
                k = key(act)
                if type(k) not in (int, UInt, str, bool):
                    raise CelEvaluationError(f"a map key cannot be {op.type_name(k)}", span)
                if any(op.equal(k, existing) for existing in result):
                    raise CelEvaluationError(f"repeated key {k!r} in map literal", span)
                result[k] = value(act)
            return result

        return build_map

    def compile_Call(self, node: Call) -> Closure:
        special = _SPECIAL.get(node.function) if node.target is None else None
        if special is not None:
            return special(self, node)
        parts = ([node.target] if node.target is not None else []) + list(node.args)
        args = [self.compile(p) for p in parts]
        candidates = self.checked.overloads[id(node)]
        static = [self.type_of(p) for p in parts]
        constants = [self.constants.get(id(p), _NOT_CONSTANT) for p in parts]
        if len(candidates) == 1 and DYN not in static:
            closure = _direct(candidates[0], _specialise(candidates[0], constants), args, constants,
                              node.name_span or node.span)
        else:
            closure = dispatch(node.function, candidates, args, node.name_span or node.span)
        if _NOT_CONSTANT not in constants:
            return self.fold(node, closure)
        return closure

    def compile_Comprehension(self, node: Comprehension) -> Closure:
        items_of = self.compile(node.range)
        body = self.compile(node.body)
        if node.macro in _ORDERINGS:
            return self._ordering(node, items_of, body)
        condition = self.compile(node.filter) if node.filter is not None else None
        variable, macro = node.variable, node.macro
        cost = weight(node.body) + (weight(node.filter) if node.filter is not None else 0)
        loop = _LOOPS[macro]

        def comprehension(act):
            items = items_of(act)
            kind = type(items)
            if kind is dict:
                items = list(items)
            elif kind is not list and kind is not tuple:
                raise CelEvaluationError(f"{macro}() needs a list or a map, not {op.type_name(items)}", node.range.span)
            charge(act.get(COST_KEY), len(items) * cost, node.span)
            scope = dict(act)
            return loop(items, scope, variable, body, condition)

        return comprehension

    @staticmethod
    def _ordering(node: Comprehension, items_of: Closure, body: Closure) -> Closure:
        """groupBy and sortBy (grouping.py): the key is the body, evaluated once per element."""
        variable, cost, span = node.variable, weight(node.body), node.span

        def key_in(scope):
            def key_of(item):
                scope[variable] = item
                return body(scope)
            return key_of

        if node.macro == "sortBy":
            return lambda act: sort_by(act.get(COST_KEY), items_of(act), key_in(dict(act)), cost, span)
        free = free_names(node)
        return lambda act: group_by(act, act.get(COST_KEY), node, free, lambda: items_of(act), key_in(dict(act)),
                                    cost, span)


def _variable(name: str, span) -> Closure:
    constant = TYPE_CONSTANTS.get(name)

    def variable(act):
        try:
            return act[name]
        except KeyError:
            if constant is not None:
                return constant
            raise CelEvaluationError(f"no such attribute '{name}': it is not bound", span) from None

    return variable


def _path(root: Closure, path: tuple, span) -> Closure:
    """`x.a.b.c` in one closure: plain dict look-ups, with exact errors when one fails."""

    def slow(value):
        try:
            for name in path:
                value = op.select(value, name)
        except CelEvaluationError as error:
            raise located(error, span) from None
        return value

    if len(path) == 1:
        (first,) = path

        def select1(act):
            value = root(act)
            if type(value) is dict and first in value:
                return value[first]
            return slow(value)

        return select1

    def select_path(act):
        value = start = root(act)
        for name in path:
            if type(value) is dict and name in value:
                value = value[name]
            else:
                return slow(start)
        return value

    return select_path


_NOT_CONSTANT = object()


def _specialise(overload, constants):
    """`s.matches('literal')`: compile the pattern once, not per evaluation."""
    if overload.function == "matches" and constants[-1] is not _NOT_CONSTANT:
        try:
            return compile_regex(constants[-1]).matches
        except CelError:  # a pattern computed from constants: its error belongs to evaluation
            return overload.impl
    return overload.impl


def needs_budget(checked: Checked) -> bool:
    """Whether evaluating can cost more than its size: a macro, a function that is metered, or
    `in` on a list that is not written in the expression (it is scanned item by item)."""
    overloads = checked.overloads
    return any(isinstance(node, Comprehension)
               or (isinstance(node, Call) and any(o.metered for o in overloads.get(id(node), ())))
               or (isinstance(node, Call) and node.function == "@in" and node.target is None
                   and not string_literals(node.args[1]))
               for node in walk(checked.root))


def string_literals(node: Node) -> bool:
    """`['a', 'b']`: a list of string literals, which `in` looks up in a set rather than scans."""
    return isinstance(node, ListExpr) and bool(node.elements) and \
        all(isinstance(e, Literal) and e.type_name == "string" for e in node.elements)


def _direct(overload, impl, args, constants, span) -> Closure:
    """Bind an overload known at check time, folding constant arguments into the closure.

    The runtime types are still checked: these closures are the reference semantics, and a
    value that does not match its declared type (data outside its schema) must give a CEL error,
    never a Python one.
    """
    types = overload.python_types

    def wrong(*values):
        return located(op.no_overload(overload.function, *values), span)

    if overload.metered:
        def metered(act):
            values = [arg(act) for arg in args]
            if any(t is not None and type(v) is not t for t, v in zip(types, values)) and not fits(types, values):
                raise wrong(*values)
            try:
                return impl(act.get(COST_KEY), *values)
            except CelError as error:
                raise located(error, span) from None

        return metered
    if len(args) == 1:
        (a,) = args
        (ta,) = types

        def call1(act):
            x = a(act)
            if ta is not None and type(x) is not ta and not fits(types, (x,)):
                raise wrong(x)
            try:
                return impl(x)
            except CelError as error:
                raise located(error, span) from None

        return call1
    if len(args) == 2:
        a, b = args
        ta, tb = types
        bv = constants[1]

        def call2(act):
            x = a(act)
            y = bv if bv is not _NOT_CONSTANT else b(act)
            if ((ta is not None and type(x) is not ta) or (tb is not None and type(y) is not tb)) \
                    and not fits(types, (x, y)):
                raise wrong(x, y)
            try:
                return impl(x, y)
            except CelError as error:
                raise located(error, span) from None

        return call2

    def call(act):
        values = [arg(act) for arg in args]
        if any(t is not None and type(v) is not t for t, v in zip(types, values)) and not fits(types, values):
            raise wrong(*values)
        try:
            return impl(*values)
        except CelError as error:
            raise located(error, span) from None

    return call


def _variable_path(name: str, path: tuple, span) -> Closure:
    """`doc.a.b`: the variable and its fields in one closure (the most common shape in policies)."""
    exact = _path(_variable(name, span), path, span)

    def slow(act):
        # With no declarations, `a.b.c` may name a variable called "a.b" or "a.b.c": the longest wins.
        for cut in range(len(path), 0, -1):
            dotted = ".".join((name,) + path[:cut])
            if dotted in act:
                value = act[dotted]
                return _path(lambda _: value, path[cut:], span)(act) if cut < len(path) else value
        return exact(act)
    if len(path) == 1:
        (first,) = path

        def variable_select(act):
            value = act.get(name)
            if type(value) is dict and first in value:
                return value[first]
            return slow(act)

        return variable_select

    def variable_path(act):
        value = act.get(name)
        for field in path:
            if type(value) is dict and field in value:
                value = value[field]
            else:
                return slow(act)
        return value

    return variable_path


def _logical_and(compiler: Compiled, node: Call) -> Closure:
    return _logical(compiler, node, deciding=False)


def _logical_or(compiler: Compiled, node: Call) -> Closure:
    return _logical(compiler, node, deciding=True)


def _logical(compiler: Compiled, node: Call, deciding: bool) -> Closure:
    """n-ary && (deciding value False) or || (True), commutative over errors."""
    operands = [compiler.compile(a) for a in node.args]
    name = "_||_" if deciding else "_&&_"
    if len(operands) == 2:
        return _logical2(operands[0], operands[1], deciding, name)

    def logical(act):
        error = None
        for operand in operands:
            try:
                value = operand(act)
            except CelError as caught:
                error = error or caught
                continue
            if value is deciding:
                return deciding
            if type(value) is not bool:
                error = error or op.no_overload(name, value)
        if error is not None:
            raise error
        return not deciding

    return logical


def _logical2(left: Closure, right: Closure, deciding: bool, name: str) -> Closure:
    """The common two-operand case without the loop; same semantics as the n-ary form."""

    def logical2(act):
        try:
            x = left(act)
        except CelError as caught:
            x = caught
        if x is deciding:
            return deciding
        y = right(act)
        if y is deciding:
            return deciding
        if isinstance(x, CelError):
            raise x
        if type(x) is not bool:
            raise op.no_overload(name, x)
        if type(y) is not bool:
            raise op.no_overload(name, y)
        return not deciding

    return logical2


def _conditional(compiler: Compiled, node: Call) -> Closure:
    condition, yes, no = (compiler.compile(a) for a in node.args)

    def conditional(act):
        value = condition(act)
        if value is True:
            return yes(act)
        if value is False:
            return no(act)
        raise op.no_overload("_?_:_", value)

    return conditional


def _equals(compiler: Compiled, node: Call) -> Closure:
    left, right = (compiler.compile(a) for a in node.args)
    if isinstance(node.args[1], Literal) and node.args[1].type_name == "string":
        expected = node.args[1].value

        def equals_string(act):
            value = left(act)
            return type(value) is str and value == expected

        return equals_string
    return lambda act: op.equal(left(act), right(act))


def _not_equals(compiler: Compiled, node: Call) -> Closure:
    equals = _equals(compiler, node)
    return lambda act: not equals(act)


def _membership(compiler: Compiled, node: Call) -> Closure:
    element, container = node.args
    element_of = compiler.compile(element)
    if string_literals(container):
        strings = frozenset(e.value for e in container.elements)
        values = [e.value for e in container.elements]

        def in_strings(act):
            value = element_of(act)
            return value in strings if type(value) is str else op.contains(values, value)

        return in_strings
    container_of = compiler.compile(container)
    span = node.name_span or node.span
    return lambda act: scanned_contains(act.get(COST_KEY), container_of(act), element_of(act), span)


def _index(compiler: Compiled, node: Call) -> Closure:
    container, key = (compiler.compile(a) for a in node.args)
    span = node.span

    def index(act):
        try:
            return op.index(container(act), key(act))
        except CelEvaluationError as error:  # no such key, out of range: here, not anywhere
            raise located(error, span) from None

    return index


_FAST_ORDERED = frozenset({int, float, str, datetime, timedelta})
_RELATIONS = {"_<_": (operator.lt, op.less), "_<=_": (operator.le, op.less_equal),
              "_>_": (operator.gt, op.greater), "_>=_": (operator.ge, op.greater_equal)}


def _relation(compiler: Compiled, node: Call) -> Closure:
    """Ordering: same-typed ints, doubles, strings, times compare natively; the rest via the spec."""
    fast, exact = _RELATIONS[node.function]
    left, right = (compiler.compile(a) for a in node.args)
    constant = compiler.constants.get(id(node.args[1]), _NOT_CONSTANT)
    if constant is not _NOT_CONSTANT and type(constant) in _FAST_ORDERED:
        kind = type(constant)

        def relation_constant(act):
            x = left(act)
            return fast(x, constant) if type(x) is kind else exact(x, constant)

        closure = relation_constant
    else:
        def relation(act):
            x, y = left(act), right(act)
            kind = type(x)
            return fast(x, y) if kind is type(y) and kind in _FAST_ORDERED else exact(x, y)

        closure = relation
    if compiler.is_constant(node.args[0]) and constant is not _NOT_CONSTANT:
        return compiler.fold(node, closure)
    return closure


_SPECIAL = {"_<_": _relation, "_<=_": _relation, "_>_": _relation, "_>=_": _relation, "_&&_": _logical_and, "_||_": _logical_or, "_?_:_": _conditional, "_==_": _equals,
            "_!=_": _not_equals, "@in": _membership, "_[_]": _index}


def weight(node: Node) -> int:
    """A node count: the cost charged for one iteration of a macro body."""
    return sum(1 for _ in walk(node))


def _quantifier(deciding: bool, name: str):
    """all() (deciding value False) or exists() (True): like && and ||, errors lose to a decision."""

    def loop(items, scope, variable, body, condition):
        error = None
        for item in items:
            scope[variable] = item
            try:
                value = body(scope)
            except CelError as caught:
                error = error or caught
                continue
            if value is deciding:
                return deciding
            if type(value) is not bool:
                error = error or op.no_overload(name, value)
        if error is not None:
            raise error
        return not deciding

    return loop


def _exists_one(items, scope, variable, body, condition):
    count = 0
    for item in items:
        scope[variable] = item
        value = body(scope)
        if type(value) is not bool:
            raise op.no_overload("exists_one", value)
        count += value
    return count == 1


def _map(items, scope, variable, body, condition):
    result = []
    for item in items:
        scope[variable] = item
        if condition is not None:
            keep = condition(scope)
            if type(keep) is not bool:
                raise op.no_overload("map", keep)
            if not keep:
                continue
        result.append(body(scope))
    return result


def _filter(items, scope, variable, body, condition):
    result = []
    for item in items:
        scope[variable] = item
        keep = body(scope)
        if keep is True:
            result.append(item)
        elif keep is not False:
            raise op.no_overload("filter", keep)
    return result


_ORDERINGS = frozenset({"groupBy", "sortBy"})
_LOOPS = {"all": _quantifier(False, "all"), "exists": _quantifier(True, "exists"), "exists_one": _exists_one, "map": _map, "filter": _filter}
