"""The document values a rule reads: `doc.a.b` chains in its expressions, as value paths.

Code actions use them to turn a finding into "insert the missing `ETA:`": a rule whose
expression reads `doc.eta` failed on a document that has no `eta`.
"""

from __future__ import annotations

from ..cel.ast import Select, selection_path, walk


def _doc_path(node):
    """The non-empty path of a `doc...` chain, else None."""
    found = selection_path(node)
    return found[1] if found is not None and found[0] == "doc" and found[1] else None


def _is_doc_chain(node) -> bool:
    return _doc_path(node) is not None


def doc_paths(policy, rule) -> list:
    """Every `doc...` path the rule's expressions read (longest chains only), then every one
    whose presence (`has(doc.x)`) a variable they read tests, in source order: INC002 reads
    `variables.declaration_missing`, whose `has(doc.commander)` makes "insert `Commander:`"."""
    found: list = []
    for expression in (rule.for_each, rule.expression, rule.target):
        if expression is not None:
            for node in walk(expression.program.ast, prune=_is_doc_chain):  # doc.a.b, not also doc.a
                _add(found, _doc_path(node))
    for variable in _variables_read(policy, rule):
        for node in walk(variable.expression.program.ast):
            if isinstance(node, Select) and node.test_only:
                _add(found, _doc_path(node))
    return found


def _add(found: list, path) -> None:
    if path is not None and path not in found:
        found.append(path)


def _variables_read(policy, rule) -> list:
    """The policy's variables the rule reads, directly or through other variables."""
    by_name = {variable.name: variable for variable in policy.variables}
    pending = [e.program.ast for e in (rule.for_each, rule.expression, rule.target) if e is not None]
    read: dict = {}
    while pending:
        for node in walk(pending.pop()):
            chain = selection_path(node)
            if chain is not None and chain[0] == "variables" and chain[1]:
                name = chain[1][0]
                if name in by_name and name not in read:
                    read[name] = by_name[name]
                    pending.append(by_name[name].expression.program.ast)
    return list(read.values())
