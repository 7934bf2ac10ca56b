"""Completion in incident records, post-incident reviews and hotfix PR descriptions.

What to offer depends on where the cursor is: missing sections first on an empty line or
after `#`, the labels the current block lacks, a label's allowed values after `Label: `, the
template's checklist lines in a checklist section, `#` incident references from the
workspace's documents, `@` handles from `data`, the current time where a time goes, and the
whole template in an empty file. Items carry the edit they make (a span of this text); a
section or a template carries it as a snippet too, its placeholders tab stops. What they quote
of the text is read from its masked copy (same offsets), so no item repeats a secret. An item
matches only what its own text starts with (a section its heading), so it never outranks a
user's snippet whose prefix was typed.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable, Optional

from ..documents import schema_for, template_for
from ..documents.scopes import LABEL, normalize_label
from ..kinds import MARKDOWN_KINDS
from . import text as texts
from .fields import find_label, fields_in_scope
from .layout import detected_layout, template_checklists
from .model import ENUM, FIELD, MODULE, REFERENCE, SNIPPET, VALUE, VARIABLE, CompletionItem, TextEdit
from .snippets import placeholder_edits
from .template_gaps import missing_labels, missing_sections

_LEAD = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_REFERENCE = re.compile(r"(?:^|[\s(\[])(#\d*)$")
_HANDLE = re.compile(r"(?:^|[\s(\[,])(@[\w.-]*)$")
_HEADING_START = re.compile(r"[ \t]*#{1,6}[ \t]*[^\s#]*$")


def stamp(now: datetime) -> str:
    """A time as the templates write it: `2026-11-20T09:10Z` (UTC)."""
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def complete_markdown(text: str, line: int, column: int, *, path: str = "-", documents: Iterable = (),
                      data: Optional[dict] = None, now: Optional[datetime] = None,
                      config_globs: Optional[dict] = None) -> list:
    """Completion items at a 1-based line and column of a Markdown document."""
    now = now or datetime.now(timezone.utc)
    data = data or {}
    if not text.strip():
        return _templates(text, None)
    shape = detected_layout(text, path=path, config_globs=config_globs)
    kind = shape.kind
    if kind is None:
        return _templates(text, None) if _only_front_matter(text) else []
    source = shape.masked  # items quote what was typed (filter texts): never a detected secret
    offset = texts.offset_of(source, line, column)
    line_start, line_end = texts.line_bounds(source, offset)
    before = source[line_start:offset]
    block = shape.block_at(offset)
    items: list = []

    reference = _REFERENCE.search(before)
    if reference and not _HEADING_START.fullmatch(before):
        start = offset - len(reference.group(1))
        return _references(source, start, offset, documents)
    handle = _HANDLE.search(before)
    if handle:
        start = offset - len(handle.group(1))
        return _handles(source, start, offset, data)

    lead = _LEAD.match(before).end()
    label = LABEL.match(source, line_start + lead, line_end)
    if label is not None and label.end() <= offset:
        field = find_label(kind, block.name, label.group("label"))
        value_end = max(offset, _value_end(source, label.end(), line_end))
        return _values(source, field, label.end(), value_end, data, documents, now)
    if _timestamp_goes_here(kind, before):
        return [_stamp_item(source, offset, offset, now)]

    words = before[lead:]
    if _HEADING_START.fullmatch(before) or not before.strip() or re.fullmatch(r"[\w /'*-]*", words):
        hashes = re.match(r"[ \t]*(#*)", before).group(1)
        for position, section in enumerate(missing_sections(shape)):
            heading = section.heading.lstrip("🚨🔄✅ ").strip() or section.heading
            [edit] = placeholder_edits([(texts.span(source, line_start, offset), section.text)])
            items.append(CompletionItem(
                heading, MODULE, "missing section", "```markdown\n" + section.text + "```", edit,
                sort_text=f"0{position:03}", filter_text=f"{hashes} {heading}" if hashes else heading))
        for position, entry in enumerate(missing_labels(shape, block)):
            field = find_label(kind, block.name, entry.label)
            prefix = entry.line[:entry.line.index(entry.label) + len(entry.label)]
            prefix = entry.line[:len(prefix) + _colon_length(entry.line[len(prefix):])] + " "
            items.append(CompletionItem(
                entry.label, FIELD, _field_detail(field), field.description if field else "",
                TextEdit(texts.span(source, line_start, offset), prefix),
                sort_text=f"1{position:03}", filter_text=prefix))
        if not items or block.name is not None:
            present = {normalize_label(l.name) for l in block.labels}
            taken = {normalize_label(entry.label) for entry in missing_labels(shape, block)}
            for position, field in enumerate(fields_in_scope(kind, block.name)):
                if field.names[0] in taken or set(field.names) & present:
                    continue
                items.append(CompletionItem(
                    field.label, FIELD, _field_detail(field), field.description,
                    TextEdit(texts.span(source, line_start, offset), f"{field.label}: "),
                    sort_text=f"2{position:03}", filter_text=f"{field.label}: "))
        if re.fullmatch(r"[ \t]*(?:[-*+](?:[ \t]+\[?[ xX]?\]?)?)?[ \t]*[\w ]*", before):
            written = {normalize_label(source[s:e]) for s, e, checked in block.items if checked is not None}
            for position, (name, entry) in enumerate(template_checklists(kind)):
                body = re.sub(r"^[-*+]\s+\[[ xX]\]\s*", "", entry)
                if name != block.name or normalize_label(body) in written:
                    continue
                items.append(CompletionItem(
                    body, SNIPPET, "checklist line of the template", "",
                    TextEdit(texts.span(source, line_start, offset), entry),
                    sort_text=f"3{position:03}", filter_text=entry))
    return items


def _only_front_matter(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("---") and stripped.count("---") >= 2 and not stripped.split("---", 2)[2].strip()


def _templates(text: str, kind: Optional[str]) -> list:
    """The whole template of each Markdown kind (the file is empty): replaces the whole text."""
    whole = texts.span(text, 0, len(text))
    items = []
    for position, name in enumerate(MARKDOWN_KINDS):
        body = template_for(name)
        title = schema_for(name).get("title", name)
        items.append(CompletionItem(f"{name} template", SNIPPET, f"the whole {title.lower()} template",
                                    "```markdown\n" + body + "\n```", placeholder_edits([(whole, body)])[0],
                                    sort_text=f"0{position}", filter_text=name))
    return items


def _colon_length(rest: str) -> int:
    match = re.match(r"(?:\*\*|__)?[ \t]*:(?:\*\*|__)?|:", rest)
    return match.end() if match else 0


def _value_end(source: str, start: int, line_end: int) -> int:
    end = line_end
    while end > start and source[end - 1] in " \t":
        end -= 1
    return end


def _field_detail(field) -> str:
    if field is None:
        return "label"
    return f"{field.dotted} ({field.value})"


def _values(source: str, field, start: int, end: int, data: dict, documents, now: datetime) -> list:
    """What may follow `Label: `: the allowed values, a time, a handle or an incident reference."""
    if field is None:
        return []
    span = texts.span(source, start, end)
    if field.enum:
        return [CompletionItem(value, ENUM, field.label, description, TextEdit(span, value),
                               sort_text=f"{position:03}")
                for position, (value, description) in enumerate(field.enum)]
    if field.value == "timestamp":
        return [_stamp_item(source, start, end, now)]
    if field.value == "handle":
        return _handles(source, start, end, data)
    if field.value == "incident_ref":
        return _references(source, start, end, documents)
    return []


def _stamp_item(source: str, start: int, end: int, now: datetime) -> CompletionItem:
    value = stamp(now)
    return CompletionItem(value, VALUE, "the current time (UTC)", "", TextEdit(texts.span(source, start, end), value))


def _timestamp_goes_here(kind: str, before: str) -> bool:
    """Whether the line so far is a block marker waiting for its time (`INCIDENT UPDATE - `)."""
    content = re.sub(r"^[ \t]*#*[ \t]*", "", before)
    content = re.sub(r"^(?:[^\w\s\[]|_|\s)*", "", content)
    if not content or not re.search(r"[-–—:][ \t]*$", content):
        return False
    probe = content + "2026-01-01T00:00Z"
    for spec in schema_for(kind).get("x-scopes", {}).values():
        marker = spec.get("marker") or ""
        if "(?P<time>" not in marker:
            continue
        match = re.match(f"(?:{marker})[\\s*_:]*$", probe, re.I)
        if match and match.groupdict().get("time") and match.group("time").startswith("2026-01-01"):
            return True
    return False


def _references(source: str, start: int, end: int, documents) -> list:
    """Incident references, narrowed to the numbers that start with the digits typed after `#`."""
    span = texts.span(source, start, end)
    typed = source[start:end].lstrip("#")
    items = []
    for document in documents:
        if getattr(document, "kind", None) != "incident":
            continue
        number = document.data.get("number")
        if number is None or not str(number).startswith(typed):
            continue
        title = document.data.get("title", "")
        status = document.data.get("current_status", "")
        severity = document.data.get("severity", "")
        about = " · ".join(str(v) for v in (severity, status) if v)
        items.append(CompletionItem(f"#{number}", REFERENCE, f"INC-{number}: {title}",
                                    f"{about}\n\n`{document.path}`" if about else f"`{document.path}`",
                                    TextEdit(span, f"#{number}"), sort_text=f"{10**9 - int(number):010}",
                                    filter_text=f"#{number} {title}"))
    return sorted(items, key=lambda item: item.sort_text)


def _handles(source: str, start: int, end: int, data: dict) -> list:
    span = texts.span(source, start, end)
    roles: dict = {}
    for login in data.get("admins") or []:
        roles.setdefault(str(login).lstrip("@").lower(), []).append("admin")
    for login in data.get("senior_reviewers") or []:
        roles.setdefault(str(login).lstrip("@").lower(), []).append("senior reviewer")
    aliases: dict = {}
    for alias, login in (data.get("people") or {}).items():
        key = str(login).lstrip("@").lower()
        roles.setdefault(key, [])
        aliases.setdefault(key, []).append(str(alias))
    items = []
    for login in sorted(roles):
        detail = ", ".join(roles[login]) or "person"
        doc = ("also written " + ", ".join(aliases[login])) if login in aliases else ""
        items.append(CompletionItem(f"@{login}", VARIABLE, detail, doc, TextEdit(span, f"@{login}"),
                                    filter_text=f"@{login}"))
    return items
