"""Hover in policy files and `.policy.yaml`: a field's type and description inside an
expression, a function's or macro's signatures, description and example, a variable's
expression, a rule id's documentation, a kind's description (`appliesTo: incident`), and a
key's meaning from the file's schema.
"""

from __future__ import annotations

import re
from typing import Optional

from ..cel.ast import MACRO_DOCS
from ..cel.function_reference import function_markdown, macro_markdown
from ..cel.types import RecordType
from ..kinds import APPLIES_TO_DESCRIPTIONS
from ..findings import Severity
from ..policy.structure import load_file_schema
from . import text as texts
from .cel_names import ROOT_DOCS, chain_type, functions
from .model import Hover
from .rule_docs import engine_rule_markdown, rule_markdown
from .yaml_position import expression_scope, locate, schema_node

RULE_ID = re.compile(r"[A-Z]+[0-9]{3}")
_LEVELS = frozenset(severity.value for severity in Severity) | {"off"}  # what `rules:` may set


def rule_id_at(text: str, offset: int) -> Optional[tuple]:
    """(rule id, start, end) of a rule id under the offset, or None."""
    start, end = texts.word_bounds(text, offset)
    word = text[start:end]
    return (word, start, end) if RULE_ID.fullmatch(word) else None


def hover_policy(text: str, line: int, column: int, *, path: str, data: Optional[dict] = None,
                 rules: Optional[dict] = None, levels: Optional[dict] = None) -> Optional[Hover]:
    """`levels`: the configuration in force's `rules:` (rule id -> error|warning|info|off); in a
    configuration file, the levels its own text sets are shown instead."""
    from ..policy.config import default_data

    data = data if data is not None else default_data()
    position = locate(text, path, line, column)
    source = position.text
    found = rule_id_at(source, position.offset)
    if found is not None:
        rule_id, start, end = found
        configured = _levels(position, levels or {}).get(rule_id)
        if rules and rule_id in rules:
            policy, rule = rules[rule_id]
            return Hover(rule_markdown(policy, rule, configured), texts.span(source, start, end))
        engine = engine_rule_markdown(rule_id, configured)
        if engine:
            return Hover(engine, texts.span(source, start, end))
    if position.expression:
        return _expression_hover(position, data)
    kind = _kind_hover(position)
    if kind is not None:
        return kind
    if position.file_kind and position.on_key and position.keys:
        node = schema_node(load_file_schema(position.file_kind), position.keys)
        span = position.loaded.key_span(position.keys) if position.loaded is not None else None
        if node and node.get("description") and span is not None:
            return Hover(f"**{position.keys[-1]}**\n\n{node['description']}", span)
    return None


def _levels(position, levels: dict) -> dict:
    """The rule levels in force where the hover is: a configuration file's own `rules:` as
    written (its unsaved edits included), else the configuration in force's."""
    if position.file_kind != "config" or position.loaded is None or not isinstance(position.loaded.data, dict):
        return levels
    written = position.loaded.data.get("rules")
    return {rule_id: level for rule_id, level in written.items() if level in _LEVELS} if isinstance(written, dict) else {}


def _kind_hover(position) -> Optional[Hover]:
    """A kind where the file's schema takes one (`appliesTo: incident`, a test document's `kind`)."""
    if not position.file_kind or position.on_key or not position.keys or position.loaded is None:
        return None
    value = position.loaded.data
    for key in position.keys:
        value = value[key]
    if not isinstance(value, str) or value not in APPLIES_TO_DESCRIPTIONS:
        return None
    node = schema_node(load_file_schema(position.file_kind), position.keys)
    span = position.loaded.value_span(position.keys)
    if not node or value not in (node.get("enum") or ()) or span is None:
        return None
    return Hover(f"**{value}** · kind\n\n{APPLIES_TO_DESCRIPTIONS[value]}", span)


def _expression_hover(position, data: dict) -> Optional[Hover]:
    scalar, index = position.scalar, position.index
    value = scalar.value
    start, end = texts.word_bounds(value, index)
    if start == end:
        return None
    name = value[start:end]
    span = scalar.span(start, end)
    scope = expression_scope(position, data)
    before = value[:start]
    after = value[end:]
    member = re.search(r"([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*|\s*\[[^\[\]]*\])*)\s*\.\s*$", before)
    calls = after.lstrip().startswith("(")
    if calls:
        if name in MACRO_DOCS:
            return Hover(macro_markdown(name), span)
        receiver = chain_type(member.group(1), scope, before[:member.start()]) if member else None
        signatures = functions(bool(member), receiver).get(name) or functions(bool(member)).get(name)
        if signatures:
            return Hover(function_markdown(name, signatures), span)
        return None
    if member is None:
        if name in scope.roots:
            return Hover(f"`{name}`: {scope.roots[name]}\n\n{ROOT_DOCS.get(name, '')}".rstrip(), span)
        return None
    chain = member.group(1)
    if chain.strip() == "variables" and name in scope.variables:
        kind, expression = scope.variables[name]
        return Hover(f"`variables.{name}`: {kind}\n\n```cel\n{expression}\n```", span)
    owner = chain_type(chain, scope, before[:member.start()])
    if isinstance(owner, RecordType) and name in owner.fields:
        described = owner.descriptions.get(name, "")
        return Hover(f"`{' '.join(chain.split())}.{name}`: {owner.fields[name]}\n\n{described}".rstrip(), span)
    return None
