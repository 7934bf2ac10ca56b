"""The document values a rule reads: `doc.a.b` chains in its expressions, as value paths.

Code actions use them to turn a finding into "insert the missing `ETA:`": a rule whose
expression reads `doc.eta` failed on a document that has no `eta`.
"""

from __future__ import annotations

from ..cel.ast import selection_path, walk


def _doc_path(node):
    """The non-empty path of a `doc...` chain, else None."""
    found = selection_path(node)
    return found[1] if found is not None and found[0] == "doc" and found[1] else None


def _is_doc_chain(node) -> bool:
    return _doc_path(node) is not None


def doc_paths(policy, rule) -> list:
    """Every `doc...` path the rule's expressions (and its policy's variables) read, longest
    chains only, in source order."""
    expressions = [rule.for_each, rule.expression, rule.target]
    found: list = []
    for expression in expressions:
        if expression is None:
            continue
        for node in walk(expression.program.ast, prune=_is_doc_chain):  # doc.a.b, not also doc.a
            path = _doc_path(node)
            if path is not None and path not in found:
                found.append(path)
    return found
