"""Schema-driven extraction: the kind's schema says where each value is; this code finds it.

Generic over kinds: it reads the `x-source`, `x-value` and `x-aliases` annotations of the
schema (vocabulary in `schemas/README.md`) and never names a kind. Every value found gets
its span; a value not found gets an anchor (the block or heading where it belongs, else the
title); a placeholder is recorded and left out of the data. Typed values that do not parse
(a time that is not a time) stay raw strings here, for validation to report as SCHEMA001.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from .model import Placeholder
from .scopes import LABEL, Scope, Structure, heading_text, normalize_label
from .values import (PLACEHOLDER, is_none_word, parse_bool, parse_duration, parse_handle,
                     parse_incident_ref, parse_int, parse_semver, parse_timestamp)

MISSING = object()      # not in the document
UNFILLED = object()     # a placeholder stands where the value belongs
SKIP = object()         # filled by someone else (engine, git, event)

_WRAPPERS = ("**", "__", "`", "*", "_", "~~")
_EDGE = frozenset(" \t\n\\*_`~")
_TIME_PREFIX = re.compile(
    r"(?:\*\*|__)?(?P<time>\[[^\]\n]*\]|\d[^*_|\n]*?|[A-Z][a-z]{2}\s[^*_|\n]*?)(?:\*\*|__)?"
    r"(?:[ \t]+[-–—|][ \t]+|[ \t]*[–—|][ \t]*|:[ \t]+)")
_SPLIT = re.compile(r"[^,;]+")


@cache
def _inline_label_rx(names: tuple):
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?:[ \t]+[-–—|;,][ \t]*|[ \t]*\([ \t]*|[ \t]+)(?:\*\*|__)?(?P<label>{alternatives})"
                      rf"(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*", re.I)


def value_type(prop: dict) -> str:
    """The `x-value` of a property, defaulting from its JSON type and format."""
    explicit = prop.get("x-value")
    if explicit:
        return explicit
    if prop.get("format") == "date-time":
        return "timestamp"
    if prop.get("format") == "duration":
        return "duration"
    return {"integer": "int", "boolean": "bool", "array": "list"}.get(prop.get("type"), "text")


def sources_of(prop: dict) -> list:
    sources = prop.get("x-source")
    if sources is None:
        return []
    return [sources] if isinstance(sources, dict) else sources


class Extractor:
    """One document's extraction: holds the text, its structure and what was found."""

    def __init__(self, text, index, structure: Structure, schema: dict, *, front_matter=None,
                 front_matter_spans=None, tz=None):
        self.text = text
        self.index = index
        self.structure = structure
        self.schema = schema
        self.front_matter = front_matter or {}
        self.front_matter_spans = front_matter_spans or {}
        self.tz = tz
        self.spans: dict = {}
        self.anchors: dict = {}
        self.placeholders: list = []
        self.reference: date | None = None
        self.unparsed: set = set()   # paths whose typed value did not parse (kept as text)
        self.derived: set = set()    # paths whose value is computed from its span, not a slice
        title = structure.title
        self.title_span = index.span(*title) if title else index.span(0, 0)

    # -- entry point -------------------------------------------------------------------
    def run(self) -> dict:
        default = None
        names = self.schema.get("x-scope")
        if names:
            default = self._first_scope(names)
        return self._object(self.schema.get("properties", {}), default, (), top=True)

    # -- objects -------------------------------------------------------------------------
    def _object(self, properties: dict, scope: Scope | None, path: tuple, top: bool = False) -> dict:
        out: dict = {}
        for name, prop in properties.items():
            sources = sources_of(prop)
            if not sources:
                continue
            here = path + (name,)
            result = MISSING
            for source in sources:
                result = self._source(source, prop, scope, here, out, top)
                if result is not MISSING:
                    break
            if result is MISSING:
                self.anchors[here] = self._anchor(sources, scope)
            elif result is not UNFILLED and result is not SKIP:
                out[name] = result
        return out

    def _source(self, source: dict, prop: dict, scope, path: tuple, siblings: dict, top: bool):
        if "engine" in source or "event" in source or "git" in source:
            return SKIP
        if "label" in source:
            return self._label(source, prop, scope, path, top)
        if "blocks" in source:
            return self._blocks(source["blocks"], prop, path)
        if "items" in source or "body" in source:
            found = self._scope_for(source, scope, top)
            if found is None:
                return MISSING
            if found.empty():
                return MISSING
            if "body" in source:
                return self._convert(prop, found.content_start, found.content_end, path, body=True)
            return self._items(prop, found.items, found.rows, path)
        if "scope" in source and "capture" in source:  # a capture of another scope's title
            found = self._scope_for(source, scope, top)
            if found is None or source["capture"] not in found.captures:
                return MISSING
            return self._convert(prop, *found.captures[source["capture"]], path)
        if "scope" in source:
            found = self._scope_for(source, scope, top)
            if found is None:
                return MISSING
            end = found.content_end if found.content_end > 0 else found.title_end
            self.spans[path] = self.index.span(found.title_start, end)
            return self._object(prop.get("properties", {}), found, path)
        if "capture" in source:
            if scope is None or source["capture"] not in scope.captures:
                return MISSING
            return self._convert(prop, *scope.captures[source["capture"]], path)
        if "implied" in source:
            if scope is None or source["implied"] not in scope.implies:
                return MISSING
            self.spans[path] = self.index.span(scope.title_start, scope.title_end)
            self.derived.add(path)
            return scope.implies[source["implied"]]
        if "scope_name" in source:
            if scope is None or scope.name is None:
                return MISSING
            self.spans[path] = self.index.span(scope.title_start, scope.title_end)
            self.derived.add(path)
            return scope.name
        if "present" in source:
            found = self.structure.by_name.get(source["present"])
            if found:
                self.spans[path] = self.index.span(found[0].title_start, found[0].title_end)
            return bool(found)
        if "title" in source:
            return self._pattern(source["title"], prop, self.structure.title, path)
        if "front_matter" in source:
            return self._front_matter(source, prop, path)
        if "from" in source:
            sibling = path[:-1] + (source["from"],)
            span = self.spans.get(sibling)
            if span is None or source["from"] not in siblings:
                return MISSING
            return self._pattern(source["pattern"], prop, (span.start, span.end), path)
        if "last_of" in source:
            items = siblings.get(source["last_of"])
            field_name = source["field"]
            for position in range(len(items or ()) - 1, -1, -1):
                if field_name in items[position]:
                    origin = path[:-1] + (source["last_of"], position, field_name)
                    if origin in self.spans:
                        self.spans[path] = self.spans[origin]
                    if origin in self.derived:
                        self.derived.add(path)
                    return items[position][field_name]
            return MISSING
        if "headings" in source:
            values = []
            for entry in self.structure.headings:
                start, end = heading_text(self.text, entry)
                self.spans[path + (len(values),)] = self.index.span(start, end)
                values.append(self.text[start:end])
            return values
        if "labels" in source:
            if scope is None:
                return MISSING
            values = []
            for label in scope.label_order:
                self.spans[path + (len(values),)] = self.index.span(label.start, label.end)
                values.append(label.name)
            return values
        if "line" in source:
            return self._line(source["line"], prop, path)
        raise ValueError(f"unknown x-source {source!r} in schema {self.schema.get('$id')}")

    # -- scopes ----------------------------------------------------------------------------
    def _scope_names(self, source: dict):
        names = source.get("scope")
        if names is None:
            return None
        return (names,) if isinstance(names, str) else names

    def _first_scope(self, names) -> Scope | None:
        for name in names:
            if name == "*":
                for scope in self.structure.scopes:
                    if scope.name is None:
                        return scope
            else:
                found = self.structure.by_name.get(name)
                if found:
                    return found[0]
        return None

    def _scope_for(self, source: dict, scope, top: bool) -> Scope | None:
        names = self._scope_names(source)
        if names is None:
            return scope if scope is not None or not top else self._first_scope(("*",))
        return self._first_scope(names)

    def _anchor(self, sources: list, scope):
        for source in sources:
            names = self._scope_names(source)
            if names is None:
                if scope is not None:
                    return self.index.span(scope.title_start, scope.title_end)
                continue
            for name in names:
                found = self.structure.by_name.get(name) if name != "*" else None
                if found:
                    return self.index.span(found[0].title_start, found[0].title_end)
        return self.title_span

    # -- labels ------------------------------------------------------------------------------
    def _label(self, source: dict, prop: dict, scope, path: tuple, top: bool):
        keys = _label_keys.get(id(source))
        if keys is None:
            keys = (normalize_label(source["label"]),) + tuple(
                normalize_label(alias) for alias in (*source.get("x-aliases", ()), *prop.get("x-aliases", ())))
            _label_keys[id(source)] = keys
        names = self._scope_names(source)
        if names is None:
            candidates = [scope] if scope is not None else (
                [s for s in self.structure.scopes if s.name is None] if top else [])
        else:
            candidates = []
            for name in names:
                if name == "*":
                    candidates.extend(s for s in self.structure.scopes if s.name is None)
                else:
                    candidates.extend(self.structure.by_name.get(name, ()))
        for candidate in candidates:
            labels = candidate.labels
            for key in keys:
                label = labels.get(key)
                if label is None:
                    continue
                if prop.get("type") == "array" and (source.get("items") or label.value_start >= label.value_end):
                    if label.value_start < label.value_end and not label.items:
                        return self._convert(prop, label.value_start, label.value_end, path, label=label)
                    self.spans[path] = self.index.span(label.start, label.end)
                    return self._items(prop, label.items, (), path)
                return self._convert(prop, label.value_start, label.value_end, path, label=label)
        return MISSING

    # -- lists ------------------------------------------------------------------------------
    def _items(self, prop: dict, entries, rows, path: tuple):
        item_schema = prop.get("items", {})
        properties = item_schema.get("properties")
        values: list = []
        if entries:
            first = entries[0]
            self.spans.setdefault(path, self.index.span(first.start, entries[-1].end))
        for entry in entries:
            here = path + (len(values),)
            if properties is None:
                value = self._convert(item_schema, entry.start, entry.end, here)
                if value is not MISSING and value is not UNFILLED:
                    values.append(value)
                continue
            item = self._item(properties, entry, here)
            if item is not None:
                values.append(item)
        if not entries and rows and properties is not None:
            for row in rows:
                if row.header or len(row.cells) < 2:
                    continue
                item = self._row(properties, row, path + (len(values),))
                if item is not None:
                    values.append(item)
        return values

    def _item(self, properties: dict, entry, path: tuple):
        text = self.text
        start, end = entry.start, entry.end
        wanted = {}
        inline_names = []
        for name, prop in properties.items():
            for source in sources_of(prop):
                if "item" in source:
                    wanted[source["item"]] = name
                elif "item_label" in source:
                    inline_names.append((source["item_label"], name))
        out: dict = {}
        if "time" in wanted:
            match = _TIME_PREFIX.match(text, start, end)
            if match:
                start = self._put(out, wanted["time"], properties, match.start("time"), match.end("time"), path)
                start = match.end()
        text_end = end
        if inline_names:
            rx = _inline_label_rx(tuple(name for name, _ in inline_names))
            found = list(rx.finditer(text, start, end))
            if found:
                text_end = found[0].start()
                lookup = {normalize_label(label): field_name for label, field_name in inline_names}
                for position, match in enumerate(found):
                    value_end = found[position + 1].start() if position + 1 < len(found) else end
                    while value_end > match.end() and text[value_end - 1] in " \t),;.":
                        value_end -= 1
                    field_name = lookup[normalize_label(match.group("label"))]
                    self._put(out, field_name, properties, match.end(), value_end, path)
        if "text" in wanted:
            s, e = _clean(text, start, text_end)
            if s >= e or _whole_placeholder(text, s, e):
                if s < e:
                    self.placeholders.append(Placeholder(path + (wanted["text"],), text[s:e], self.index.span(s, e)))
                return None
            out[wanted["text"]] = text[s:e]
            self.spans[path + (wanted["text"],)] = self.index.span(s, e)
            if "label" in wanted or "value" in wanted:
                match = LABEL.match(text, s, e)
                if match and " - " not in match.group("label"):
                    label_end = match.start("label") + len(match.group("label").rstrip())
                    if "label" in wanted:
                        out[wanted["label"]] = text[match.start("label"):label_end]
                        self.spans[path + (wanted["label"],)] = self.index.span(match.start("label"), label_end)
                    if "value" in wanted:
                        self._put(out, wanted["value"], properties, match.end(), e, path)
        if "checked" in wanted and entry.checked is not None:
            out[wanted["checked"]] = entry.checked
            self.spans[path + (wanted["checked"],)] = self.index.span(entry.start, entry.end)
        for name in properties:
            if name not in out and sources_of(properties[name]):
                self.anchors.setdefault(path + (name,), self.index.span(entry.start, entry.end))
        self.spans[path] = self.index.span(entry.start, entry.end)
        return out

    def _row(self, properties: dict, row, path: tuple):
        out: dict = {}
        for name, prop in properties.items():
            for source in sources_of(prop):
                role = source.get("item")
                if role == "time":
                    self._put(out, name, properties, *row.cells[0], path)
                elif role == "text":
                    s, e = row.cells[1]
                    if s < e:
                        out[name] = self.text[s:e]
                        self.spans[path + (name,)] = self.index.span(s, e)
        if not out:
            return None
        self.spans[path] = self.index.span(row.start, row.end)
        return out

    def _put(self, out: dict, name: str, properties: dict, start: int, end: int, path: tuple) -> int:
        value = self._convert(properties[name], start, end, path + (name,))
        if value is not MISSING and value is not UNFILLED:
            out[name] = value
        return end

    def _blocks(self, names, prop: dict, path: tuple):
        properties = prop.get("items", {}).get("properties", {})
        values = []
        wanted = set(names)
        for scope in self.structure.scopes:
            if scope.name in wanted:
                here = path + (len(values),)
                end = scope.content_end if scope.content_end > 0 else scope.title_end
                self.spans[here] = self.index.span(scope.title_start, end)
                values.append(self._object(properties, scope, here))
        return values

    # -- single values ------------------------------------------------------------------------
    def _pattern(self, pattern: str, prop: dict, bounds, path: tuple):
        if bounds is None:
            return MISSING
        match = _compiled(pattern).search(self.text, bounds[0], bounds[1])
        if match is None or match.group("value") is None:
            return MISSING
        return self._convert(prop, match.start("value"), match.end("value"), path)

    def _front_matter(self, source: dict, prop: dict, path: tuple):
        key = source["front_matter"]
        if key not in self.front_matter or self.front_matter[key] in (None, ""):
            return MISSING
        span = self.front_matter_spans.get(key)
        if span is None:
            return MISSING
        if "pattern" in source:
            return self._pattern(source["pattern"], prop, span, path)
        return self._convert(prop, span[0], span[1], path)

    def _line(self, which: str, prop: dict, path: tuple):
        text = self.text
        start = len(text) - len(text.lstrip())
        newline = text.find("\n", start)
        first_end = len(text) if newline == -1 else newline
        if which == "first":
            return self._convert(prop, start, first_end, path) if start < first_end else MISSING
        rest = first_end
        end = len(text.rstrip())
        while rest < end and text[rest] in " \t\n":
            rest += 1
        return self._convert(prop, rest, end, path, body=True) if rest < end else MISSING

    def _convert(self, prop: dict, start: int, end: int, path: tuple, *, body: bool = False, label=None):
        text = self.text
        start, end = _clean(text, start, end)
        if start >= end:
            if label is not None:
                self.anchors[path] = self.index.span(label.start, label.end)
            return MISSING
        raw = text[start:end]
        if "[" in raw:
            if body:
                if _whole_placeholder(text, start, end):
                    self.placeholders.append(Placeholder(path, raw, self.index.span(start, end)))
                    return UNFILLED
            else:
                match = PLACEHOLDER.search(raw)
                if match is not None:
                    self.placeholders.append(Placeholder(
                        path, match.group(0), self.index.span(start + match.start(), start + match.end())))
                    return UNFILLED
        span = self.index.span(start, end)
        self.spans[path] = span
        kind = value_type(prop)
        if kind == "text":
            return raw
        if kind == "timestamp":
            value = parse_timestamp(raw, tz=self.tz, reference=self.reference) if self.tz else \
                parse_timestamp(raw, reference=self.reference)
            if value is None:
                self.unparsed.add(path)
                return raw
            if self.reference is None:
                self.reference = value.date()
            return value
        if kind == "duration":
            value = parse_duration(raw)
        elif kind == "handle":
            value = parse_handle(raw)
            self.spans[path + ("text",)] = span
            name_at = raw.find(value["name"])
            name_span = self.index.span(start + name_at, start + name_at + len(value["name"]))
            self.spans[path + ("name",)] = name_span
            self.spans[path + ("login",)] = name_span
            self.derived.add(path + ("login",))
        elif kind == "incident_ref":
            value = parse_incident_ref(raw)
            self.spans[path + ("text",)] = span
            if "number" in value:
                digits = raw.rfind(str(value["number"]))
                self.spans[path + ("number",)] = self.index.span(start + digits, start + digits + len(str(value["number"])))
        elif kind == "int":
            value = parse_int(raw)
        elif kind == "bool":
            value = parse_bool(raw)
        elif kind == "semver":
            value = parse_semver(raw)
            if value is not None:
                at = start + raw.find(value["text"])
                self.spans[path + ("text",)] = self.index.span(at, at + len(value["text"]))
                self.derived.update({path, path + ("major",), path + ("minor",), path + ("patch",)})
        elif kind in ("list", "checklist", "timeline", "action_items"):
            if is_none_word(raw):
                return []
            values = []
            for match in _SPLIT.finditer(text, start, end):
                s, e = _clean(text, match.start(), match.end())
                if s < e:
                    self.spans[path + (len(values),)] = self.index.span(s, e)
                    values.append(text[s:e])
            return values
        else:
            raise ValueError(f"unknown x-value {kind!r} in schema {self.schema.get('$id')}")
        if value is None:
            self.unparsed.add(path)
            return raw
        return value


_label_keys: dict = {}  # id(source annotation) -> normalized label names (schemas live forever)


@cache
def _compiled(pattern: str):
    return re.compile(pattern, re.I)


def _clean(text: str, start: int, end: int) -> tuple:
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


def _whole_placeholder(text: str, start: int, end: int) -> bool:
    match = PLACEHOLDER.fullmatch(text, start, end)
    return match is not None


def build_id(template: str | None, data: dict) -> str | None:
    """A document id from the schema's `x-id` template (`INC-{number}`, `PIR-{incident.number}`)."""
    if not template:
        return None

    def lookup(match):
        value = data
        for key in match.group(1).split("."):
            if not isinstance(value, dict) or key not in value:
                raise KeyError(key)
            value = value[key]
        return str(value)

    try:
        return re.sub(r"\{([\w.]+)\}", lookup, template)
    except KeyError:
        return None


