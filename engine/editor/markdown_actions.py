"""Code actions for incident, review and PR Markdown: insert a missing section or label, fix the
case of an allowed value, check a required box, fill in the template, add a waiver for a
finding, open the rule.

Each action is a list of text edits (an edit to `.policy.yaml` names that file) or a command;
the language server turns them into a WorkspaceEdit. An edit that inserts template text carries
it as a snippet too (`snippets.placeholder_edits`), for editors that put tab stops on its
placeholders.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Callable, Iterable, Optional

from ..documents import parse_document, schema_for, template_for
from ..documents.scopes import normalize_label
from ..cel.ast import Select, walk
from ..errors import closest
from ..kinds import MARKDOWN_KINDS
from . import text as texts
from .doc_paths import doc_paths
from .fields import find_label, label_fields
from .layout import TemplateLabel, detected_layout, layout, template_labels, template_sections
from .model import QUICKFIX, SOURCE, CodeAction, TextEdit, replacement
from .rule_docs import rule_location
from .snippets import placeholder_edits
from .template_gaps import label_insertion, missing_sections, section_insertion
from .waiver_action import waiver_action

OPEN_RULE = "hotfix-policy.openRule"
_OPEN_BOX = re.compile(r"[ \t>]*[-*+][ \t]+(\[ \])")


def _absent(data: dict, path: tuple) -> bool:
    value = data
    for key in path:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
            value = value[key]
        else:
            return True
    return False


def _overlaps(span, start: int, end: int) -> bool:
    return span is not None and span.start <= end and start <= span.end


def markdown_actions(text: str, start: tuple, end: tuple, *, path: str = "-", findings: Iterable = (),
                     policies=None, config_path: Optional[str] = None, config_text: Optional[str] = None,
                     data: Optional[dict] = None, now: Optional[datetime] = None,
                     config_globs: Optional[dict] = None, document=None,
                     recheck: Optional[Callable[[str], list]] = None) -> list:
    """Actions for the range (start, end) as 1-based (line, column) pairs; `document` is the
    engine's reading of this same text when the caller has it (the check's). Editors ask for
    actions at every move of the cursor: the document and its layout are read once per text,
    not once per request. `recheck(text)` gives the findings of another text of this document:
    "Check the box" is offered only when checking the box ends the finding."""
    now = now or datetime.now(timezone.utc)
    findings = list(findings)
    if not text.strip():
        return _template_actions(text)
    if document is None:
        document = parse_document(text, path=path, config_globs=config_globs)
    if document.kind is None:
        return []
    shape = detected_layout(text, path=path, config_globs=config_globs)
    if shape.kind != document.kind:
        shape = layout(text, document.kind)
    source = shape.text
    first = texts.offset_of(source, *start)
    last = texts.offset_of(source, *end)
    actions: list = []
    rules = policies.rules() if policies is not None else {}
    offered: set = set()
    for finding in findings:
        if not _overlaps(finding.span, first, last):
            continue
        if finding.rule in rules:
            policy, rule = rules[finding.rule]
            if recheck is not None:
                actions.extend(_check_box(source, finding, rule, recheck))
            for action in _missing_for_rule(shape, document, policy, rule):
                if action.title not in offered:
                    offered.add(action.title)
                    actions.append(action)
            location = rule_location(policy, rule)
            actions.append(CodeAction(f"Open rule {rule.id}", QUICKFIX, (),
                                      (OPEN_RULE, (location.path, location.span.line, location.span.column)),
                                      finding.rule))
        if config_path and finding.rule not in ("WVR001", "WVR002", "WVR003"):
            actions.append(waiver_action(finding, document, config_path, config_text or "", data or {}, now))
    actions[:0] = _enum_case_fixes(shape, first, last, findings)
    sections = missing_sections(shape)
    if sections:
        edits = placeholder_edits((texts.span(source, ins.offset), ins.text)
                                  for ins in (section_insertion(shape, s) for s in sections))
        actions.append(CodeAction("Fill in the template's missing sections ("
                                  + ", ".join(s.heading.lstrip("🚨🔄✅ ") for s in sections) + ")", SOURCE, edits))
    return actions


def _template_actions(text: str) -> list:
    whole = texts.span(text, 0, len(text))
    return [CodeAction(f"Fill in the {schema_for(kind).get('title', kind).lower()} template", SOURCE,
                       placeholder_edits([(whole, template_for(kind))]))
            for kind in MARKDOWN_KINDS]


def _missing_for_rule(shape, document, policy, rule) -> list:
    """Insert-the-missing-part actions for the values a failing rule reads that are absent."""
    actions = []
    source = shape.text
    for value_path in doc_paths(policy, rule):
        if not _absent(document.data, value_path):
            continue
        key = tuple("[]" if isinstance(p, int) else p for p in value_path)
        fields = [f for f in label_fields(shape.kind) if f.path == key and not f.generic]
        if fields:
            field = fields[0]
            blocks = [b for name in field.scopes for b in shape.blocks if b.name == name]
            index = next((p for p in value_path if isinstance(p, int)), 0)
            block = blocks[index] if len(blocks) > index else None
            if block is not None:
                if block.has_label(field.names):
                    continue  # written but unreadable: a SCHEMA001 says why
                entry = _template_label(shape.kind, block.name, field)
                insertion = label_insertion(shape, block, entry)
                actions.append(CodeAction(f"Insert '{field.label}:'", QUICKFIX,
                                          placeholder_edits([(texts.span(source, insertion.offset), insertion.text)]),
                                          None, rule.id))
                continue
            names = field.scopes
        else:
            names = _scopes_of_property(shape.kind, value_path[0])
        for section in template_sections(shape.kind):
            if set(section.names) & set(names) and not any(b.name in section.names for b in shape.blocks):
                insertion = section_insertion(shape, section)
                actions.append(CodeAction(f"Insert section {section.heading.lstrip('🚨🔄✅ ')}", QUICKFIX,
                                          placeholder_edits([(texts.span(source, insertion.offset), insertion.text)]),
                                          None, rule.id))
                break
    return actions


def _check_box(source: str, finding, rule, recheck) -> list:
    """"Check the box" for a finding on an unchecked checklist item (`- [ ] Existing tests
    pass`) of a rule that reads whether items are checked, when the document with that box
    checked no longer has the finding there: a fix that fixes, never a box whose checking
    leaves the finding (an action item with no owner)."""
    if finding.span is None or not _reads_checked(rule):
        return []
    line_start = texts.offset_of(source, finding.span.line, 1)
    box = _OPEN_BOX.match(source, line_start)
    if box is None:
        return []
    changed = source[:box.start(1)] + "[x]" + source[box.end(1):]
    if any(f.rule == finding.rule and f.span is not None and f.span.line == finding.span.line
           for f in recheck(changed)):
        return []
    item_end = source.find("\n", box.end())
    item = " ".join(source[box.end():item_end if item_end >= 0 else len(source)].split())
    return [CodeAction(f"Check the box: {item}" if item else "Check the box", QUICKFIX,
                       (TextEdit(texts.span(source, box.start(1), box.end(1)), "[x]"),),
                       None, finding.rule, finding.span, preferred=True)]


def _reads_checked(rule) -> bool:
    """Whether the rule's expressions read an item's `checked` (PR006's required boxes)."""
    return any(isinstance(node, Select) and node.field == "checked"
               for expression in (rule.for_each, rule.expression, rule.target) if expression is not None
               for node in walk(expression.program.ast))


def _scopes_of_property(kind: str, name) -> tuple:
    node = schema_for(kind).get("properties", {}).get(name, {})
    source = node.get("x-source")
    for item in ([source] if isinstance(source, dict) else source or []):
        if "scope" in item:
            return (item["scope"],) if isinstance(item["scope"], str) else tuple(item["scope"])
        if "blocks" in item:
            return tuple(item["blocks"])
    return ()


def _template_label(kind: str, block_name, field) -> TemplateLabel:
    for entry in template_labels(kind):
        if entry.block == block_name and normalize_label(entry.label) in field.names:
            return entry
    return TemplateLabel(block_name, field.label, f"{field.label}: ", 10_000)


def _enum_case_fixes(shape, first: int, last: int, findings) -> list:
    """"Change 'x' to 'Y'" for a label's value that is not one of its allowed values but is
    one written in another case, or most likely misspelt (`errors.closest`, which gives every
    "did you mean" its suggestion: `FIXNG` -> `FIXING`), answering the finding on that value
    (so that editors list it with the finding's own actions, first)."""
    actions = []
    for block in shape.blocks:
        for label in block.labels:
            if not (label.line_start <= last and first <= label.line_end):
                continue
            field = find_label(shape.kind, block.name, label.name)
            if field is None or not field.enum:
                continue
            written = shape.masked[label.value_start:label.value_end].strip()
            allowed = {value.lower(): value for value, _ in field.enum}
            if not written or written in allowed.values():
                continue
            meant = allowed.get(written.lower()) or allowed.get(closest(written.lower(), allowed) or "")
            if meant is not None:
                start = shape.masked.index(written, label.value_start)
                answered = next((f for f in findings if _overlaps(f.span, start, start + len(written))), None)
                actions.append(replacement(written, meant, TextEdit(texts.span(shape.text, start, start + len(written)),
                                                                     meant),
                                           answered.rule if answered else "", answered.span if answered else None))
    return actions
