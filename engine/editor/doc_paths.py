"""The document values a rule reads: `doc.a.b` chains in its expressions, as value paths.

Code actions use them to turn a finding into "insert the missing `ETA:`": a rule whose
expression reads `doc.eta` failed on a document that has no `eta`.
"""

from __future__ import annotations

from ..cel.ast import Select, selection_path, walk
from ..policy.rule_reads import variables_read


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
    own = [e for e in (rule.for_each, rule.expression, rule.target) if e is not None]
    for variable in variables_read(policy, own):
        for node in walk(variable.expression.program.ast):
            if isinstance(node, Select) and node.test_only:
                _add(found, _doc_path(node))
    return found


def _add(found: list, path) -> None:
    if path is not None and path not in found:
        found.append(path)
