"""The fast path: the checked AST as one Python function, built from `ast` nodes (never text).

A policy expression evaluated through closures pays one Python call per node; this function
pays one call per evaluation, with field look-ups, comparisons and macros inlined as plain
Python. It is optimistic: it is written so that whenever it returns, the value is exactly the
spec's; anything unusual (a missing key, a wrong type, an error that `&&` might absorb) raises
some exception, and `Program.evaluate` then answers with the exact closures of compiler.py.
Type checks are inlined where the checker could not prove the types (`dyn`). Metered functions
and dispatchers receive the budget argument, and charge it exactly as the closures do.
"""

from __future__ import annotations

import ast as py
import itertools
from typing import Callable, Optional

from . import arithmetic as op
from .ast import Call, Comprehension, Ident, ListExpr, Literal, MapExpr, Node, Select, free_names
from .compiler import Compiled, weight
from .cost import BUDGET_EXCEEDED, scanned_contains
from .dispatch import generated_dispatch
from .errors import CelError, CelEvaluationError
from .grouping import group_by, sort_by
from .regex import compile_regex
from .types import BOOL, BYTES, DOUBLE, DURATION, DYN, INT, STRING, TIMESTAMP, Type
from .values import TYPE_CONSTANTS

_INLINE_EQUAL = frozenset({STRING, BOOL, BYTES, INT, TIMESTAMP, DURATION})
_INLINE_ORDER = frozenset({INT, DOUBLE, STRING, TIMESTAMP, DURATION})
_COMPARE = {"_==_": py.Eq, "_!=_": py.NotEq, "_<_": py.Lt, "_<=_": py.LtE, "_>_": py.Gt, "_>=_": py.GtE}
_RELATIONS = {"_<_": op.less, "_<=_": op.less_equal, "_>_": op.greater, "_>=_": op.greater_equal}
_INLINE_ARITHMETIC = {("_+_", DOUBLE): py.Add, ("_-_", DOUBLE): py.Sub, ("_*_", DOUBLE): py.Mult}


class Unsupported(Exception):
    """A shape the generator leaves to the closures (the program then has no fast path)."""


def generate(compiled: Compiled) -> Optional[Callable]:
    """The fast function `f(act, budget)` for a compiled expression, or None."""
    generator = _Generator(compiled)
    try:
        body = generator.expr(compiled.checked.root, {})
    except Unsupported:
        return None
    arguments = py.arguments(posonlyargs=[], args=[py.arg("act"), py.arg("budget")], kwonlyargs=[],
                             kw_defaults=[], defaults=[])
    function = py.FunctionDef(name="fast", args=arguments, body=[py.Return(body)], decorator_list=[],
                              returns=None)
    if "type_params" in py.FunctionDef._fields:
        function.type_params = []
    module = _located(py.Module(body=[function], type_ignores=[]))
    namespace = dict(generator.namespace)
    try:
        code = compile(module, "<rule expression>", "exec")
    except (SyntaxError, RecursionError, ValueError):  # e.g. a walrus Python refuses in that position
        return None
    exec(code, namespace)  # noqa: S102 - code built from our own AST nodes, never from user text
    return namespace["fast"]


def _located(tree: py.AST) -> py.AST:
    """Every node at line 1, column 0 (`compile` wants a place; the code has no source text).
    `ast.fix_missing_locations` does the same in twice the time, and building the fast path is
    paid once per program in every process a run forks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if node._attributes:
            node.lineno = node.end_lineno = 1
            node.col_offset = node.end_col_offset = 0
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, py.AST))
            elif isinstance(value, py.AST):
                stack.append(value)
    return tree


def _helper_bool(value):
    if type(value) is bool:
        return value
    raise TypeError


def _helper_iterate(items, cost, budget):
    kind = type(items)
    if kind is not list and kind is not dict:
        raise TypeError
    if budget is not None:  # cost.charge(budget, len(items) * cost), inlined: every macro passes here
        budget[0] -= len(items) * cost
        if budget[0] < 0:
            raise CelEvaluationError(BUDGET_EXCEEDED)
    return items


def _helper_exactly_one(values) -> bool:
    count = 0
    for value in values:
        if type(value) is not bool:
            raise TypeError
        count += value
    return count == 1


def _helper_map_literal(*flat):
    result = {}
    for index in range(0, len(flat), 2):
        key = flat[index]
        if type(key) not in (int, str, bool) or key in result:
            raise TypeError
        result[key] = flat[index + 1]
    return result


class _Generator:
    def __init__(self, compiled: Compiled):
        self.compiled = compiled
        self.checked = compiled.checked
        self.namespace: dict = {"_bool": _helper_bool, "_iterate": _helper_iterate, "_one": _helper_exactly_one,
                                "_map": _helper_map_literal, "_fail": _helper_fail, "_has": op.has_field,
                                "_in": scanned_contains, "_group": group_by, "_sort": sort_by,
                                "_index": op.index, "_equal": op.equal, "__builtins__": {"all": all, "any": any,
                                                                                        "type": type}}
        self.names = itertools.count()

    # -- small builders -------------------------------------------------------------------------
    def constant(self, value) -> py.expr:
        if value is None or type(value) in (bool, int, str):
            return py.Constant(value)
        name = f"_k{next(self.names)}"
        self.namespace[name] = value
        return py.Name(name, py.Load())

    def temporary(self) -> str:
        return f"_t{next(self.names)}"

    @staticmethod
    def call(function: str, *args: py.expr) -> py.expr:
        return py.Call(py.Name(function, py.Load()), list(args), [])

    def function(self, value) -> str:
        name = f"_f{next(self.names)}"
        self.namespace[name] = value
        return name

    def type_of(self, node: Node) -> Type:
        return self.checked.types.get(id(node), DYN)

    def boolean(self, node: Node, scope) -> py.expr:
        """node's value, checked to be a bool unless the checker proved it."""
        expression = self.expr(node, scope)
        return expression if self.type_of(node) == BOOL else self.call("_bool", expression)

    # -- nodes ----------------------------------------------------------------------------------
    def expr(self, node: Node, scope: dict) -> py.expr:
        if id(node) in self.compiled.constants:
            return self.constant(self.compiled.constants[id(node)])
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            raise Unsupported(type(node).__name__)
        return method(node, scope)

    def expr_Literal(self, node: Literal, scope) -> py.expr:
        return self.constant(node.value)

    def expr_Ident(self, node: Ident, scope) -> py.expr:
        name = node.name.lstrip(".")
        if name in scope:
            return py.Name(scope[name], py.Load())
        return self.variable(name)

    def variable(self, name: str) -> py.expr:
        if name in TYPE_CONSTANTS:
            get = py.Attribute(py.Name("act", py.Load()), "get", py.Load())
            return py.Call(get, [py.Constant(name), self.constant(TYPE_CONSTANTS[name])], [])
        return py.Subscript(py.Name("act", py.Load()), py.Constant(name), py.Load())

    def expr_Select(self, node: Select, scope) -> py.expr:
        qualified = self.checked.names.get(id(node))
        if qualified is not None:
            if qualified.split(".", 1)[0] in scope:
                raise Unsupported("qualified name shadowed by a macro variable")
            return self.variable(qualified)
        operand = self.expr(node.operand, scope)
        if node.test_only:
            return self.call("_has", operand, py.Constant(node.field))
        # A string subscript succeeds only on a dict: anything else raises and falls back.
        return py.Subscript(operand, py.Constant(node.field), py.Load())

    def expr_ListExpr(self, node: ListExpr, scope) -> py.expr:
        return py.List([self.expr(e, scope) for e in node.elements], py.Load())

    def expr_MapExpr(self, node: MapExpr, scope) -> py.expr:
        keys = [self.compiled.constants.get(id(key)) for key, _ in node.entries]
        if all(type(key) is str for key in keys) and len(set(keys)) == len(keys):
            # Distinct string keys written in the expression: a plain dict display, nothing to check.
            return py.Dict([py.Constant(key) for key in keys], [self.expr(value, scope) for _, value in node.entries])
        flat = [self.expr(part, scope) for entry in node.entries for part in entry]
        return self.call("_map", *flat)

    def expr_Comprehension(self, node: Comprehension, scope) -> py.expr:
        variable = f"_v{next(self.names)}"
        inner = {**scope, node.variable: variable}
        if node.macro in ("groupBy", "sortBy"):
            return self.ordering(node, scope, variable, inner)
        items = self.call("_iterate", self.expr(node.range, scope), py.Constant(self.compiled_weight(node)),
                          py.Name("budget", py.Load()))
        target = py.Name(variable, py.Store())
        macro = node.macro
        if macro in ("all", "exists", "exists_one"):
            generator = py.GeneratorExp(self.boolean(node.body, inner) if macro != "exists_one"
                                        else self.expr(node.body, inner),
                                        [py.comprehension(target, items, [], 0)])
            return self.call({"all": "all", "exists": "any", "exists_one": "_one"}[macro], generator)
        if macro == "filter":
            condition = [self.boolean(node.body, inner)]
            return py.ListComp(py.Name(variable, py.Load()), [py.comprehension(target, items, condition, 0)])
        conditions = [self.boolean(node.filter, inner)] if node.filter is not None else []
        return py.ListComp(self.expr(node.body, inner), [py.comprehension(target, items, conditions, 0)])

    def ordering(self, node: Comprehension, scope, variable: str, inner) -> py.expr:
        """groupBy and sortBy call grouping.py, as the closures do, with the key as a lambda (and
        groupBy's list as one too: a remembered grouping does not evaluate it again)."""
        key = _lambda([variable], self.expr(node.body, inner))
        budget, items = py.Name("budget", py.Load()), self.expr(node.range, scope)
        cost, span = py.Constant(weight(node.body)), self.constant(node.span)
        if node.macro == "sortBy":
            return self.call("_sort", budget, items, key, cost, span)
        return self.call("_group", py.Name("act", py.Load()), budget, self.constant(node),
                         self.constant(free_names(node)), _lambda([], items), key, cost, span)

    def compiled_weight(self, node: Comprehension) -> int:
        return weight(node.body) + (weight(node.filter) if node.filter is not None else 0)

    def expr_Call(self, node: Call, scope) -> py.expr:
        special = _SPECIAL.get(node.function) if node.target is None else None
        if special is not None:
            return special(self, node, scope)
        parts = ([node.target] if node.target is not None else []) + list(node.args)
        args = [self.expr(p, scope) for p in parts]
        candidates = self.checked.overloads[id(node)]
        types = [self.type_of(p) for p in parts]
        budget = py.Name("budget", py.Load())
        pattern = self.compiled.constants.get(id(parts[-1]), None)
        if node.function == "matches" and isinstance(pattern, str):
            # The compiled search fails on anything but a string, which sends us to the closures.
            try:
                search = compile_regex(pattern).matches
            except CelError:
                raise Unsupported("a pattern that does not compile") from None
            return self.call(self.function(search), budget, args[0])
        if node.function in _STRING_TESTS and len(candidates) == 1 and len(args) == 2:
            return _string_test(self, node.function, args, types)
        if len(candidates) == 1 and DYN not in types:
            key = (node.function, types[0])
            if key in _INLINE_ARITHMETIC and len(set(types)) == 1:
                return py.BinOp(args[0], _INLINE_ARITHMETIC[key](), args[1])
            if candidates[0].metered:
                return self.call(self.function(candidates[0].impl), budget, *args)
            return self.call(self.function(candidates[0].impl), *args)
        dispatcher = generated_dispatch(node.function, candidates, node.name_span or node.span, len(args))
        return self.call(self.function(dispatcher), budget, *args)


def _lambda(parameters: list, body: py.expr) -> py.expr:
    arguments = py.arguments(posonlyargs=[], args=[py.arg(p) for p in parameters], kwonlyargs=[], kw_defaults=[],
                             defaults=[])
    return py.Lambda(arguments, body)


_STRING_TESTS = {
    "startsWith": lambda s, x: py.Call(py.Attribute(s, "startswith", py.Load()), [x], []),
    "endsWith": lambda s, x: py.Call(py.Attribute(s, "endswith", py.Load()), [x], []),
    "contains": lambda s, x: py.Compare(x, [py.In()], [s]),
}


def _string_test(generator: _Generator, function: str, args, types) -> py.expr:
    """`s.startsWith(x)` as Python's own string method; operands not known to be strings are
    checked inline (anything else raises, and the closures report the missing overload)."""
    operands, checks = [], []
    for arg, static in zip(args, types):
        if static == STRING:
            operands.append(arg)
            continue
        temporary = generator.temporary()
        generator.namespace["str"] = str
        checks.append(py.Compare(generator.call("type", py.NamedExpr(py.Name(temporary, py.Store()), arg)),
                                 [py.Is()], [py.Name("str", py.Load())]))
        operands.append(py.Name(temporary, py.Load()))
    test = _STRING_TESTS[function](*operands)
    if not checks:
        return test
    return py.IfExp(py.BoolOp(py.And(), checks) if len(checks) > 1 else checks[0], test, generator.call("_fail"))


def _helper_fail():
    raise TypeError


def _logical(generator: _Generator, node: Call, scope) -> py.expr:
    operator = py.And() if node.function == "_&&_" else py.Or()
    return py.BoolOp(operator, [generator.boolean(arg, scope) for arg in node.args])


def _not(generator: _Generator, node: Call, scope) -> py.expr:
    return py.UnaryOp(py.Not(), generator.boolean(node.args[0], scope))


def _conditional(generator: _Generator, node: Call, scope) -> py.expr:
    condition, yes, no = node.args
    return py.IfExp(generator.boolean(condition, scope), generator.expr(yes, scope), generator.expr(no, scope))


def _equality(generator: _Generator, node: Call, scope) -> py.expr:
    left, right = node.args
    lt, rt = generator.type_of(left), generator.type_of(right)
    a, b = generator.expr(left, scope), generator.expr(right, scope)
    if lt == rt and lt in _INLINE_EQUAL:
        return py.Compare(a, [_COMPARE[node.function]()], [b])
    constant = generator.compiled.constants.get(id(right), generator)
    if type(constant) is str:
        # dyn == 'text': equal only to a string with the same characters.
        temporary = generator.temporary()
        test = py.BoolOp(py.And(), [
            py.Compare(generator.call("type", py.NamedExpr(py.Name(temporary, py.Store()), a)), [py.Is()],
                       [py.Name("str", py.Load())]),
            py.Compare(py.Name(temporary, py.Load()), [py.Eq()], [b])])
        generator.namespace["str"] = str
        return test if node.function == "_==_" else py.UnaryOp(py.Not(), test)
    equal = generator.call("_equal", a, b)
    return equal if node.function == "_==_" else py.UnaryOp(py.Not(), equal)


def _relation(generator: _Generator, node: Call, scope) -> py.expr:
    left, right = node.args
    lt, rt = generator.type_of(left), generator.type_of(right)
    a, b = generator.expr(left, scope), generator.expr(right, scope)
    if lt == rt and lt in _INLINE_ORDER:
        return py.Compare(a, [_COMPARE[node.function]()], [b])
    return generator.call(generator.function(_RELATIONS[node.function]), a, b)


def _membership(generator: _Generator, node: Call, scope) -> py.expr:
    element, container = node.args
    a = generator.expr(element, scope)
    literal = isinstance(container, ListExpr) and all(isinstance(e, Literal) for e in container.elements)
    values = [e.value for e in container.elements] if literal else None
    if values and all(type(v) is str for v in values):
        strings = generator.constant(frozenset(values))
        if generator.type_of(element) == STRING:
            return py.Compare(a, [py.In()], [strings])
        temporary = generator.temporary()
        generator.namespace["str"] = str
        return py.IfExp(
            py.Compare(generator.call("type", py.NamedExpr(py.Name(temporary, py.Store()), a)), [py.Is()],
                       [py.Name("str", py.Load())]),
            py.Compare(py.Name(temporary, py.Load()), [py.In()], [strings]),
            generator.call("_in", py.Constant(None), generator.constant(values), py.Name(temporary, py.Load())))
    return generator.call("_in", py.Name("budget", py.Load()), generator.expr(container, scope), a)


def _index(generator: _Generator, node: Call, scope) -> py.expr:
    container, key = generator.expr(node.args[0], scope), generator.expr(node.args[1], scope)
    position = generator.compiled.constants.get(id(node.args[1]))
    if type(position) is int and position >= 0 and _look_up(container):
        # `p[1]`, `variables.testing[0]`: Python's own indexing when it is a list (out of range
        # raises, and the closures say so), else the general look-up. The container is only
        # names and constant keys, so reading it twice costs two look-ups and changes nothing.
        inline = py.Subscript(container, py.Constant(position), py.Load())
        test = py.Compare(generator.call("type", container), [py.Is()], [py.Name("list", py.Load())])
        generator.namespace["list"] = list
        return py.IfExp(test, inline, generator.call("_index", container, key))
    return generator.call("_index", container, key)


def _look_up(expression: py.expr) -> bool:
    """Whether the expression is a name, or a name subscripted by constants (`act['variables']['x']`)."""
    while isinstance(expression, py.Subscript) and isinstance(expression.slice, py.Constant):
        expression = expression.value
    return isinstance(expression, py.Name)


_SPECIAL = {"_&&_": _logical, "_||_": _logical, "!_": _not, "_?_:_": _conditional, "_==_": _equality,
            "_!=_": _equality, "_<_": _relation, "_<=_": _relation, "_>_": _relation, "_>=_": _relation,
            "@in": _membership, "_[_]": _index}
