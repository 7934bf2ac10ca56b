"""Why a rule passed or failed on a document, in words a person reads without knowing CEL.

The rule's expressions are traced (engine.cel.explain): the values read from the document are
listed with their lines, then each yes/no step with the values that decided it, then the verdict.
"""

from __future__ import annotations

from typing import Optional

from ..cel import CelError
from ..cel.ast import Call, Comprehension, Select, selection_path
from ..cel.explain import trace
from ..cel.printer import unparse
from ..cel.values import to_json
from ..kinds import ANY
from .model import Policy, Rule

_WORDS = {"_==_": "equal to", "_!=_": "different from", "_<_": "less than", "_<=_": "at most",
          "_>_": "greater than", "_>=_": "at least"}


def explain_rule(policy: Policy, rule: Rule, document, bindings: dict) -> str:
    """The explanation of one rule on one document (bindings: doc, docs, ctx, data)."""
    lines = [f"{rule.id} [{rule.severity.value}] {rule.summary}",
             f"  policy {policy.name} ({policy.path}:{rule.span.line}), applies to {policy.applies_to}",
             f"  expression: {' '.join(rule.expression.source.split())}", "",
             f"On {document.path}" + (f" ({document.kind} {document.id})" if document.id else f" ({document.kind})")]
    if policy.applies_to not in (document.kind, ANY):
        return "\n".join(lines + [f"  not applicable: the rule applies to {policy.applies_to} documents"])
    try:
        if policy.match is not None and policy.match.program.evaluate(bindings) is not True:
            return "\n".join(lines + [f"  not applicable: the policy's match is false "
                                      f"({' '.join(policy.match.source.split())})"])
        variables: dict = {}
        bindings = {**bindings, "variables": variables}
        for variable in policy.variables:
            variables[variable.name] = variable.expression.program.evaluate(bindings)
    except CelError as error:
        return "\n".join(lines + [f"  could not evaluate the policy's match or variables: {error.message}"])
    items = [None]
    if rule.for_each is not None:
        try:
            collection = rule.for_each.program.evaluate(bindings)
        except CelError as error:
            return "\n".join(lines + [f"  could not evaluate forEach: {error.message}"])
        items = list(collection)
        lines.append(f"  forEach {' '.join(rule.for_each.source.split())}: {len(items)} item(s)")
    failures = 0
    for index, item in enumerate(items):
        scope = bindings if rule.for_each is None else {**bindings, "item": item}
        result, error, steps = trace(rule.expression.program, scope)
        heading = "" if rule.for_each is None else f"  item {index + 1}: {_show(item)}"
        if heading:
            lines.append(heading)
        lines += _values_read(steps, document, indent="    ")
        lines += _decisions(steps, indent="    ")
        if error is not None:
            lines.append(f"    could not be evaluated: {error.message} (EVAL001)")
            failures += 1
        elif result is False:
            failures += 1
    verdict = "FAILED" if failures else "passed"
    lines.append(f"  result: {verdict}" + (f" ({failures} of {len(items)} items)" if rule.for_each else ""))
    return "\n".join(lines)


def _values_read(steps: list, document, indent: str) -> list:
    """`doc.severity = "critical" (line 5)` for each document value read, once each."""
    lines, seen = [], set()
    for step in steps:
        node = step.node
        if not isinstance(node, Select) or node.test_only:
            continue
        found = selection_path(node)
        if found is None or found[0] != "doc" or found[1] in seen:
            continue
        seen.add(found[1])
        span = document.span_of(found[1])
        where = f" (line {span.line})" if span is not None else ""
        shown = _show(step.value) if step.error is None else f"missing ({step.error.message})"
        lines.append(f"{indent}read {unparse(node)} = {shown}{where}")
    return lines


def _decisions(steps: list, indent: str) -> list:
    """One sentence per yes/no step, in evaluation order, macro bodies once per failing item."""
    lines, seen = [], set()
    for step in steps:
        sentence = _sentence(step)
        key = (id(step.node), repr(step.bindings))
        if sentence and key not in seen:
            seen.add(key)
            scope = ""
            if step.bindings:
                scope = " [with " + ", ".join(f"{k} = {_show(v)}" for k, v in step.bindings.items()) + "]"
            lines.append(f"{indent}{sentence}{scope}")
    return lines


def _sentence(step) -> Optional[str]:
    node = step.node
    text = unparse(node)
    if step.error is not None:
        return f"`{_short(text)}` could not be evaluated: {step.error.message}" if isinstance(node, Call) else None
    value = step.value
    if isinstance(node, Select) and node.test_only:
        owner = unparse(node.operand)
        return f"{owner} {'has' if value else 'has no'} `{node.field}`"
    if isinstance(node, Comprehension):
        return f"`{_short(text)}` is {_show(value)}"
    if not isinstance(node, Call) or value not in (True, False):
        return None
    if node.function in _WORDS and node.target is None:
        left, right = node.args
        return (f"`{_short(unparse(left))}` is {'' if value else 'not '}{_WORDS[node.function]} "
                f"`{_short(unparse(right))}`")
    if node.function == "@in":
        return f"`{_short(unparse(node.args[0]))}` is {'' if value else 'not '}one of {_short(unparse(node.args[1]))}"
    if node.function in ("_&&_", "_||_"):
        return None  # each part is explained on its own line
    return f"`{_short(text)}` is {_show(value)}"


def _show(value) -> str:
    import json

    text = json.dumps(to_json(value), ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "..."
