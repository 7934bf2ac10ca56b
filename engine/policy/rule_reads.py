"""What judging a rule reads: its own expressions, its policy's `match`, and the policy's
variables those read, directly or through other variables.

A variable that reads `docs` (the incident policy's `reviews`, for INC010 and INC015) makes the
rules that use it cross-document, not every rule of its policy: the editor holds only those
while it reads the workspace, and the clock ticks only for the kinds whose rules read `ctx.now`.
"""

from __future__ import annotations

from ..cel.ast import Ident, Select, free_names, walk


def rule_expressions(policy, rule) -> list:
    """Every compiled expression whose value the rule's findings depend on."""
    own = [e for e in (rule.expression, rule.for_each, rule.target, rule.message_expression, policy.match)
           if e is not None]
    return own + [variable.expression for variable in variables_read(policy, own)]


def variables_read(policy, expressions) -> list:
    """The policy's variables `expressions` read (`variables.name`), directly or through other
    variables; all of them where `variables` is used otherwise than by name."""
    by_name = {variable.name: variable for variable in policy.variables}
    read: dict = {}
    pending = [expression.program.ast for expression in expressions]
    while pending:
        named = set()
        nodes = list(walk(pending.pop()))
        for node in nodes:
            if isinstance(node, Select) and isinstance(node.operand, Ident) and node.operand.name == "variables":
                named.add(id(node.operand))
                variable = by_name.get(node.field)
                if variable is not None and variable.name not in read:
                    read[variable.name] = variable
                    pending.append(variable.expression.program.ast)
        if any(isinstance(node, Ident) and node.name == "variables" and id(node) not in named for node in nodes):
            return list(policy.variables)
    return list(read.values())


def reads_binding(policy, rule, name: str) -> bool:
    """Whether judging the rule reads the binding `name` (`docs`, `ctx`...): a macro's own
    variable of that name (`doc.updates.all(docs, ...)`) is not the binding."""
    return any(name in free_names(expression.program.ast) for expression in rule_expressions(policy, rule))


def reads_field(policy, rule, operand: str, field: str) -> bool:
    """Whether judging the rule reads `operand.field` (`ctx.now`)."""
    return any(isinstance(node, Select) and node.field == field and isinstance(node.operand, Ident)
               and node.operand.name == operand
               for expression in rule_expressions(policy, rule) for node in walk(expression.program.ast))
