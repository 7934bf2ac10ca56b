"""The `x-value` kinds: how the text found for a property becomes its typed value.

A property's kind comes from its schema (`x-value`, else its `type` and `format`;
`schemas/README.md` lists them). Each kind has one reader, named in `VALUE_READERS`: it parses
the text with `values.py` and records the ranges of the value's parts (a handle's name, a
version's text) on the extraction in progress, so a finding about `doc.commander.login` points
at the name. Adding a kind is a reader and a row; the extraction plan rejects a schema that
names a kind this table does not have.
"""

from __future__ import annotations

import re

from .values import (is_none_word, parse_bool, parse_duration, parse_handle, parse_incident_ref, parse_int,
                     parse_semver, parse_timestamp)

_WRAPPERS = ("**", "__", "`", "*", "_", "~~")
_EDGE = frozenset(" \t\n\\*_`~")
_SPLIT = re.compile(r"[^,;]+")

# Every reader takes (found, raw, start, end, span, path): the extraction in progress (its
# text, spans, derived paths, time zone and reference date), the cleaned text and its offsets
# and span, and the value's path. It returns the value, or None when the text is not of its
# kind (extraction keeps the text for validation to report as SCHEMA001).


def read_text(found, raw, start, end, span, path):
    return raw


def read_timestamp(found, raw, start, end, span, path):
    value = parse_timestamp(raw, tz=found.tz, reference=found.reference) if found.tz else \
        parse_timestamp(raw, reference=found.reference)
    if value is not None and found.reference is None:
        found.reference = value.date()  # a bare `10:45` further on takes this date
    return value


def read_duration(found, raw, start, end, span, path):
    return parse_duration(raw)


def read_int(found, raw, start, end, span, path):
    return parse_int(raw)


def read_bool(found, raw, start, end, span, path):
    return parse_bool(raw)


def read_handle(found, raw, start, end, span, path):
    value = parse_handle(raw)
    found.spans[path + ("text",)] = span
    name_at = raw.find(value["name"])
    name_span = found.index.span(start + name_at, start + name_at + len(value["name"]))
    found.spans[path + ("name",)] = name_span
    found.spans[path + ("login",)] = name_span
    found.derived.add(path + ("login",))
    return value


def read_incident_ref(found, raw, start, end, span, path):
    value = parse_incident_ref(raw)
    found.spans[path + ("text",)] = span
    if "number" in value:
        digits = raw.rfind(str(value["number"]))
        found.spans[path + ("number",)] = found.index.span(start + digits, start + digits + len(str(value["number"])))
    return value


def read_semver(found, raw, start, end, span, path):
    value = parse_semver(raw)
    if value is not None:
        at = start + raw.find(value["text"])
        found.spans[path + ("text",)] = found.index.span(at, at + len(value["text"]))
        found.derived.update({path, path + ("major",), path + ("minor",), path + ("patch",)})
    return value


def read_list(found, raw, start, end, span, path):
    """Comma or semicolon separated parts; `none`, `n/a` and the like are the empty list."""
    if is_none_word(raw):
        return []
    text = found.text
    values = []
    for match in _SPLIT.finditer(text, start, end):
        s, e = clean_value(text, match.start(), match.end())
        if s < e:
            found.spans[path + (len(values),)] = found.index.span(s, e)
            values.append(text[s:e])
    return values


VALUE_READERS = {
    "text": read_text,
    "timestamp": read_timestamp,
    "duration": read_duration,
    "int": read_int,
    "bool": read_bool,
    "handle": read_handle,
    "incident_ref": read_incident_ref,
    "semver": read_semver,
    "list": read_list,
    "checklist": read_list,      # arrays of objects, when written inline after their label
    "timeline": read_list,
    "action_items": read_list,
}
"""`x-value` kind -> its reader."""


def clean_value(text: str, start: int, end: int) -> tuple:
    """Trim whitespace, emphasis and code marks around a value (`**@dana**` -> `@dana`)."""
    if start < end and text[start] not in _EDGE and text[end - 1] not in _EDGE:
        return start, end
    while start < end and text[start] in " \t\n":
        start += 1
    while end > start and text[end - 1] in " \t\n\\":
        end -= 1
    changed = True
    while changed and end - start >= 2:
        changed = False
        for wrapper in _WRAPPERS:
            width = len(wrapper)
            if text.startswith(wrapper, start) and text.startswith(wrapper, end - width) and end - start > 2 * width:
                start += width
                end -= width
                changed = True
                break
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
    if end - start >= 2 and text.startswith(("**", "__"), end - 2) and text.count("**", start, end) % 2:
        end -= 2  # `**Severity: HIGH**` leaves a dangling closing mark
        while end > start and text[end - 1] in " \t":
            end -= 1
    return start, end
