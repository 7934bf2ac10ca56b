"""The document values a rule reads: `doc.a.b` chains in its expressions, as value paths.

Code actions use them to turn a finding into "insert the missing `ETA:`": a rule whose
expression reads `doc.eta` failed on a document that has no `eta`.
"""

from __future__ import annotations

from ..cel.ast import Call, Ident, Literal, Select, children


def _chain(node):
    path = []
    while True:
        if isinstance(node, Select):
            path.append(node.field)
            node = node.operand
        elif isinstance(node, Call) and node.function == "_[_]" and node.target is None and \
                isinstance(node.args[1], Literal) and isinstance(node.args[1].value, int):
            path.append(int(node.args[1].value))
            node = node.args[0]
        elif isinstance(node, Ident):
            return node.name, tuple(reversed(path))
        else:
            return None


def doc_paths(policy, rule) -> list:
    """Every `doc...` path the rule's expressions (and its policy's variables) read, longest
    chains only, in source order."""
    expressions = [rule.for_each, rule.expression, rule.target]
    found: list = []
    for expression in expressions:
        if expression is None:
            continue
        stack = [expression.program.ast]
        while stack:
            node = stack.pop()
            chain = _chain(node)
            if chain is not None and chain[0] == "doc" and chain[1]:
                if chain[1] not in found:
                    found.append(chain[1])
                continue
            stack.extend(reversed(children(node)))
    return found
