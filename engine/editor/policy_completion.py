"""Completion in policy files and `.policy.yaml`: inside a rule expression, the fields of the
`appliesTo` kind with their types (`doc.`, nested `doc.resolution.`), `ctx.`, `data.`,
`variables.`, `item.`, functions and macros with signatures; outside expressions, the keys the
file's schema allows where the cursor is (not the deprecated ones) and the values it allows
(kinds, severities), with rule ids where a config names rules.
"""

from __future__ import annotations

import re
from typing import Optional

from ..cel.ast import MACRO_DOCS, MACROS
from ..cel.function_reference import function_markdown, macro_markdown
from ..cel.types import ListType, MapType, RecordType
from ..policy.locate import value_at
from ..policy.structure import load_file_schema
from . import text as texts
from .cel_names import ROOT_DOCS, Scope, at_cursor, functions, loop_variables
from .model import ENUM, FIELD, FUNCTION, KEYWORD, PROPERTY, REFERENCE, VARIABLE, CompletionItem, TextEdit
from .yaml_position import YamlPosition, expression_scope, locate, schema_node

_ID = re.compile(r"^[A-Z]+[0-9]{3}$")


def complete_policy(text: str, line: int, column: int, *, path: str, data: Optional[dict] = None,
                    rules: Optional[dict] = None) -> list:
    """Items at a 1-based line and column of a policy, policy test or config file.

    rules: rule id -> (policy, rule) of the workspace (for ids in `rules:` and waivers).
    """
    from ..policy.config import default_data

    data = data if data is not None else default_data()
    position = locate(text, path, line, column)
    if position.expression:
        return complete_expression(position, data)
    if position.file_kind is None:
        return []
    inline = _inline_expression(position)
    if inline is not None:
        return inline_complete(position, inline, data)
    return _structure_items(position, rules or {})


def complete_expression(position: YamlPosition, data: dict) -> list:
    scalar, index = position.scalar, position.index
    before = scalar.value[:index]
    scope = expression_scope(position, data)
    start_offset = scalar.offset(index - len(at_cursor(before, scope).partial))
    return _expression_items(before, scope, position.text, start_offset, position.offset)


def inline_complete(position: YamlPosition, before: str, data: dict) -> list:
    scope = expression_scope(position, data)
    partial = at_cursor(before, scope).partial
    return _expression_items(before, scope, position.text, position.offset - len(partial), position.offset)


def _inline_expression(position: YamlPosition) -> Optional[str]:
    """The expression typed so far on a `expression: "doc.` line of a file that is not valid YAML yet."""
    if position.loaded is not None or position.file_kind != "policy":
        return None
    line_start, _ = texts.line_bounds(position.text, position.offset)
    before = position.text[line_start:position.offset]
    match = re.match(r"[ \t]*(?:-[ \t]+)?(match|expression|forEach|target|messageExpression)[ \t]*:[ \t]*[>|]?[-+]?"
                     r"[ \t]*['\"]?(.*)$", before)
    return match.group(2) if match else None


def _expression_items(before: str, scope: Scope, text: str, start: int, end: int) -> list:
    where = at_cursor(before, scope)
    span = texts.span(text, start, end)
    items = []
    if where.member:
        receiver = where.receiver
        if receiver is None:
            return []
        if isinstance(receiver, RecordType):
            for position, (name, kind) in enumerate(receiver.fields.items()):
                items.append(CompletionItem(name, FIELD, str(kind), receiver.descriptions.get(name, ""),
                                            TextEdit(span, name), sort_text=f"0{position:03}"))
        if where.chain.split(".")[0].strip() == "variables":
            items = [CompletionItem(name, VARIABLE, str(kind), f"```cel\n{expression}\n```" if expression else "",
                                    TextEdit(span, name), sort_text=f"0{position:03}")
                     for position, (name, (kind, expression)) in enumerate(scope.variables.items())]
        if isinstance(receiver, (ListType, MapType)) or str(receiver) == "dyn":
            for name in sorted(MACROS):
                items.append(CompletionItem(name, KEYWORD, MACRO_DOCS[name].shape, macro_markdown(name),
                                            TextEdit(span, f"{name}(${{1:x}}, $0)"),
                                            snippet=True, sort_text=f"1{name}"))
        for name, signatures in sorted(functions(True, receiver).items()):
            if where.chain.strip() == "variables":
                break
            items.append(CompletionItem(name, FUNCTION, signatures[0], function_markdown(name, signatures),
                                        TextEdit(span, f"{name}($0)"), snippet=True, sort_text=f"2{name}"))
        return items
    for position, (name, kind) in enumerate(scope.roots.items()):
        items.append(CompletionItem(name, VARIABLE, str(kind), ROOT_DOCS.get(name, ""), TextEdit(span, name),
                                    sort_text=f"0{position:03}"))
    for name in loop_variables(before):
        items.append(CompletionItem(name, VARIABLE, "macro variable", "", TextEdit(span, name), sort_text="00"))
    items.append(CompletionItem("has", KEYWORD, MACRO_DOCS["has"].shape, macro_markdown("has"), TextEdit(span, "has($0)"),
                                snippet=True, sort_text="1has"))
    for name, signatures in sorted(functions(False).items()):
        items.append(CompletionItem(name, FUNCTION, signatures[0], function_markdown(name, signatures),
                                    TextEdit(span, f"{name}($0)"), snippet=True, sort_text=f"2{name}"))
    return items


# -- outside expressions: keys and values -------------------------------------------------------

def _structure_items(position: YamlPosition, rules: dict) -> list:
    schema = load_file_schema(position.file_kind)
    text, offset = position.text, position.offset
    line_start, line_end = texts.line_bounds(text, offset)
    before = text[line_start:offset]
    value = re.match(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:[ \t]*(\S*)$", before)
    in_list = re.match(r"^[ \t]*-[ \t]+(\S*)$", before) or re.search(r"\[(?:[^\]]*,)?[ \t]*(\S*)$", before)
    keys = position.keys
    if value and not position.on_key:
        partial = value.group(2).lstrip("'\"[")
        span = texts.span(text, offset - len(partial), offset)
        node = schema_node(schema, _value_path(position, value.group(1)))
        items = _values_of(node, span)
        path = _value_path(position, value.group(1))
        if not items and _names_rules(position.file_kind, path):
            items = _rule_items(rules, span)
        if items:
            return items
    if in_list and _names_rules(position.file_kind, _list_path(position)):
        partial = in_list.group(1).lstrip("'\"")
        return _rule_items(rules, texts.span(text, offset - len(partial), offset))
    # a key of the mapping that holds the cursor
    partial_match = re.search(r"([A-Za-z_][\w-]*)?$", before)
    partial = partial_match.group(1) or ""
    if not re.fullmatch(r"[ \t]*(?:-[ \t]+)?[A-Za-z_]?[\w-]*", before):
        return []
    if position.mapping is not None:
        mapping = position.mapping
    elif position.on_key:
        mapping = keys[:-1]
    elif position.loaded is None or (keys and isinstance(keys[-1], int)) or \
            _data_at(position, keys) is None or isinstance(_data_at(position, keys), dict):
        mapping = keys
    else:
        mapping = keys[:-1]
    node = schema_node(schema, mapping)
    if node is None:
        return []
    if _names_rules(position.file_kind, mapping + ("*",)):
        return _rule_items(rules, texts.span(text, offset - len(partial), offset), suffix=": ")
    if position.mapping is not None:
        from .yaml_position import sibling_keys

        present = sibling_keys(text, offset)
    else:
        present = _data_at(position, mapping)
        present = set(present) if isinstance(present, dict) else set()
    span = texts.span(text, offset - len(partial), offset)
    items = []
    for index, (name, spec) in enumerate((node.get("properties") or {}).items()):
        if name in present and name != partial:
            continue
        spec = spec if isinstance(spec, dict) else {}
        if spec.get("deprecated"):
            continue  # still accepted (and explained on hover), never suggested
        required = name in (node.get("required") or ())
        items.append(CompletionItem(name, PROPERTY, ("required" if required else "optional"),
                                    str(spec.get("description", "")), TextEdit(span, f"{name}: "),
                                    sort_text=f"{0 if required else 1}{index:03}"))
    return items


def _data_at(position: YamlPosition, keys: tuple):
    return value_at(position.loaded.data, keys) if position.loaded is not None else None


def _value_path(position: YamlPosition, key: str) -> tuple:
    keys = position.keys
    if keys and keys[-1] == key:
        return keys
    return keys + (key,)


def _list_path(position: YamlPosition) -> tuple:
    keys = position.keys
    return keys[:-1] + ("*",) if keys and isinstance(keys[-1], int) else keys + ("*",)


def _names_rules(file_kind: str, path: tuple) -> bool:
    """Config places that hold rule ids: `rules:` keys and each waiver's `rules` list."""
    if file_kind != "config" or not path:
        return False
    shape = tuple("#" if isinstance(k, int) else k for k in path)
    return shape[:1] == ("rules",) and len(shape) == 2 or shape[:1] == ("waivers",) and "rules" in shape[2:3]


def _values_of(node: Optional[dict], span) -> list:
    if not node:
        return []
    values = list(node.get("enum") or ([node["const"]] if "const" in node else []))
    descriptions = list(node.get("enumDescriptions") or [])
    return [CompletionItem(str(value), ENUM, str(node.get("description", "")),
                           descriptions[i] if i < len(descriptions) else "", TextEdit(span, str(value)),
                           sort_text=f"{i:03}")
            for i, value in enumerate(values)]


def _rule_items(rules: dict, span, suffix: str = "") -> list:
    return [CompletionItem(rule_id, REFERENCE, f"{rule.severity.value} · {policy.name}", rule.summary,
                           TextEdit(span, rule_id + suffix), sort_text=rule_id)
            for rule_id, (policy, rule) in sorted(rules.items())]
