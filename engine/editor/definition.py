"""Go to definition: from a rule id (a finding's code, or an id written in a document, a
policy test or `.policy.yaml`) to the rule in its policy YAML, built-in pack included; from
`variables.x` in an expression to the variable's declaration.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, Optional

from . import text as texts
from .model import Location
from .policy_hover import rule_id_at
from .rule_docs import rule_location
from .yaml_position import locate


def rule_definition(rule_id: str, rules: dict) -> list:
    if rule_id in rules:
        policy, rule = rules[rule_id]
        return [rule_location(policy, rule)]
    return []


def markdown_definition(text: str, line: int, column: int, *, findings: Iterable = (),
                        rules: Optional[dict] = None) -> list:
    """A rule id written under the cursor, else the rules of the findings under it."""
    rules = rules or {}
    source = text.replace("\r\n", "\n")
    offset = texts.offset_of(source, line, column)
    found = rule_id_at(source, offset)
    if found is not None and found[0] in rules:
        return rule_definition(found[0], rules)
    result = []
    for finding in findings:
        span = finding.span
        if span is not None and span.start <= offset <= span.end:
            for location in rule_definition(finding.rule, rules):
                if location not in result:
                    result.append(location)
    return result


def policy_definition(text: str, line: int, column: int, *, path: str, rules: Optional[dict] = None) -> list:
    """`variables.x` -> its `name:` in this file; a rule id -> its rule."""
    position = locate(text, path, line, column)
    source = position.text
    if position.expression and position.loaded is not None:
        value, index = position.scalar.value, position.index
        start, end = texts.word_bounds(value, index)
        name = value[start:end]
        if name and re.search(r"\bvariables\s*\.\s*$", value[:start]):
            entries = ((position.loaded.data or {}).get("spec") or {}).get("variables") or []
            for number, entry in enumerate(entries):
                if isinstance(entry, dict) and entry.get("name") == name:
                    span = position.loaded.span_of(("spec", "variables", number, "name"))
                    return [Location(os.path.abspath(path), span)]
            return []
    found = rule_id_at(source, position.offset)
    if found is not None:
        return rule_definition(found[0], rules or {})
    return []
