"""Schema-driven extraction: the kind's schema says where each value is; this code finds it.

Generic over kinds: it reads the `x-source`, `x-value` and `x-aliases` annotations of the
schema (vocabulary in `schemas/README.md`) and never names a kind. Every value found gets
its span; a value not found gets an anchor (the block or heading where it belongs, else the
title); a placeholder is recorded and left out of the data. Typed values that do not parse
(a time that is not a time) stay raw strings here, for validation to report as SCHEMA001.

The vocabulary is two tables: `DIRECTIVES` at the end of this module (an `x-source` directive ->
its reader method and the keys it combines with) and `VALUE_READERS` in `value_kinds.py` (an
`x-value` kind -> its reader). Extending it is a reader and a row; `extraction_plan.py` checks
each schema against both tables when it is first used.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from .extraction_plan import ANYWHERE, LIST_ITEM, Directive, Plan, compile_plan, value_type
from .model import Placeholder
from .schema_patterns import schema_pattern
from .scopes import LABEL, Scope, Structure, heading_text, normalize_label
from .value_kinds import VALUE_READERS, clean_value
from .values import PLACEHOLDER

MISSING = object()      # not in the document
UNFILLED = object()     # a placeholder stands where the value belongs
SKIP = object()         # filled by someone else (engine, git, event)

_TIME_PREFIX = re.compile(
    r"(?:\*\*|__)?(?P<time>\[[^\]\n]*\]|\d[^*_|\n]*?|[A-Z][a-z]{2}\s[^*_|\n]*?)(?:\*\*|__)?"
    r"(?:(?<![ \t][ \t])(?:[ \t]+[-–—|][ \t]+|[ \t]*[–—|][ \t]*)|:[ \t]+)")
"""`13:05 - text`, `**13:05** | text`, `[Time] - text`. A separator that starts with spaces is
tried only at the first two characters of a run of them (`(?<![ \t][ \t])`; the second for
`Nov  - `, whose time ends in a space): it matches there whenever it matches further in, and
trying it at every space of a long run (the lazy time grows one character at a time) is
quadratic."""


@cache
def _inline_label_rx(names: tuple):
    alternatives = "|".join(re.escape(name) for name in names)
    # `(?<![ \t])`: the leftmost match starts where a run of spaces starts, and searching from each
    # space of a long run (each attempt reading the rest of the run) would be quadratic; or at a
    # `(` whose spaces the previous label's match took (`Owner: (Owner: ...`)
    return re.compile(rf"(?:(?<![ \t])|(?=\())(?:[ \t]+[-–—|;,][ \t]*|[ \t]*\([ \t]*|[ \t]+)(?:\*\*|__)?"
                      rf"(?P<label>{alternatives})(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*", re.I)


class Extractor:
    """One document's extraction: holds the text, its structure and what was found."""

    def __init__(self, text, index, structure: Structure, schema: dict, *, front_matter=None,
                 front_matter_spans=None, tz=None):
        self.text = text
        self.index = index
        self.structure = structure
        self.schema = schema
        self.plan = extraction_plan(schema)
        self.front_matter = front_matter or {}
        self.front_matter_spans = front_matter_spans or {}
        self.tz = tz
        self.spans: dict = {}
        self.anchors: dict = {}
        self.placeholders: list = []
        self.reference: date | None = None
        self.unparsed: set = set()   # paths whose typed value did not parse (kept as text)
        self.derived: set = set()    # paths whose value is computed from its span, not a slice
        self._unnamed = [scope for scope in structure.scopes if scope.name is None]
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
        for name, prop, sources, reads in self.plan.objects.get(id(properties), ()):
            here = path + (name,)
            result = MISSING
            for read, source in reads:
                result = read(self, source, prop, scope, here, out, top)
                if result is not MISSING:
                    break
            if result is MISSING:
                self.anchors[here] = self._anchor(sources, scope)
            elif result is not UNFILLED and result is not SKIP:
                out[name] = result
        return out

    # -- x-source directives: one reader each, named in DIRECTIVES ------------------------
    # Every reader takes (source, prop, scope, path, siblings, top): the source object, the
    # property's schema, the enclosing scope, the value's path, the values found so far in the
    # same object, and whether the object is the document itself. It returns the value,
    # MISSING, UNFILLED (a placeholder) or SKIP.

    def _filled_elsewhere(self, source, prop, scope, path, siblings, top):
        return SKIP  # the engine, git or the GitHub event fills it

    def _read_label(self, source, prop, scope, path, siblings, top):
        keys = self.plan.label_keys[id(source)]
        names = self._scope_names(source)
        if names is None:
            candidates = (scope,) if scope is not None else self._unnamed if top else ()
        else:
            candidates = []
            for name in names:
                if name == "*":
                    candidates.extend(self._unnamed)
                else:
                    candidates.extend(self.structure.by_name.get(name, ()))
        for candidate in candidates:
            labels = candidate.labels
            if not labels:
                continue
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

    def _read_blocks(self, source, prop, scope, path, siblings, top):
        properties = prop.get("items", {}).get("properties", {})
        values = []
        wanted = set(source["blocks"])
        for found in self.structure.scopes:
            if found.name in wanted:
                here = path + (len(values),)
                end = found.content_end if found.content_end > 0 else found.title_end
                self.spans[here] = self.index.span(found.title_start, end)
                values.append(self._object(properties, found, here))
        return values

    def _read_items(self, source, prop, scope, path, siblings, top):
        found = self._scope_for(source, scope, top)
        if found is None or found.empty():
            return MISSING
        return self._items(prop, found.items, found.rows, path)

    def _read_body(self, source, prop, scope, path, siblings, top):
        found = self._scope_for(source, scope, top)
        if found is None or found.empty():
            return MISSING
        return self._convert(prop, found.content_start, found.content_end, path, body=True)

    def _read_scope(self, source, prop, scope, path, siblings, top):
        found = self._scope_for(source, scope, top)
        if found is None:
            return MISSING
        end = found.content_end if found.content_end > 0 else found.title_end
        self.spans[path] = self.index.span(found.title_start, end)
        return self._object(prop.get("properties", {}), found, path)

    def _read_capture(self, source, prop, scope, path, siblings, top):
        # with `scope`: a capture of another scope's title; without: of the enclosing block's
        found = self._first_scope(self._scope_names(source)) if "scope" in source else scope
        if found is None or source["capture"] not in found.captures:
            return MISSING
        return self._convert(prop, *found.captures[source["capture"]], path)

    def _read_implied(self, source, prop, scope, path, siblings, top):
        if scope is None or source["implied"] not in scope.implies:
            return MISSING
        self._derived_from_title(scope, path)
        return scope.implies[source["implied"]]

    def _read_scope_name(self, source, prop, scope, path, siblings, top):
        if scope is None or scope.name is None:
            return MISSING
        self._derived_from_title(scope, path)
        return scope.name

    def _read_present(self, source, prop, scope, path, siblings, top):
        found = self.structure.by_name.get(source["present"]) or self.structure.skipped.get(source["present"])
        if found:
            self.spans[path] = self.index.span(found[0].title_start, found[0].title_end)
        return bool(found)

    def _read_title(self, source, prop, scope, path, siblings, top):
        return self._pattern(source["title"], prop, self.structure.title, path)

    def _read_front_matter(self, source, prop, scope, path, siblings, top):
        key = source["front_matter"]
        if key not in self.front_matter or self.front_matter[key] in (None, ""):
            return MISSING
        span = self.front_matter_spans.get(key)
        if span is None:
            return MISSING
        if "pattern" in source:
            return self._pattern(source["pattern"], prop, span, path)
        return self._convert(prop, span[0], span[1], path)

    def _read_from(self, source, prop, scope, path, siblings, top):
        span = self.spans.get(path[:-1] + (source["from"],))
        if span is None or source["from"] not in siblings:
            return MISSING
        return self._pattern(source["pattern"], prop, (span.start, span.end), path)

    def _read_last_of(self, source, prop, scope, path, siblings, top):
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

    def _read_headings(self, source, prop, scope, path, siblings, top):
        values = []
        for entry in self.structure.headings:
            start, end = heading_text(self.text, entry)
            self.spans[path + (len(values),)] = self.index.span(start, end)
            values.append(self.text[start:end])
        return values

    def _read_labels(self, source, prop, scope, path, siblings, top):
        if scope is None:
            return MISSING
        values = []
        for label in scope.label_order:
            self.spans[path + (len(values),)] = self.index.span(label.start, label.end)
            values.append(label.name)
        return values

    def _read_line(self, source, prop, scope, path, siblings, top):
        text = self.text
        start = len(text) - len(text.lstrip())
        newline = text.find("\n", start)
        first_end = len(text) if newline == -1 else newline
        if source["line"] == "first":
            return self._convert(prop, start, first_end, path) if start < first_end else MISSING
        rest = first_end
        end = len(text.rstrip())
        while rest < end and text[rest] in " \t\n":
            rest += 1
        return self._convert(prop, rest, end, path, body=True) if rest < end else MISSING

    def _derived_from_title(self, scope: Scope, path: tuple) -> None:
        self.spans[path] = self.index.span(scope.title_start, scope.title_end)
        self.derived.add(path)

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

    def _anchor(self, sources: tuple, scope):
        for source in sources:
            names = self._scope_names(source)
            if names is None:
                if scope is not None:
                    return self.index.span(scope.title_start, scope.title_end)
                continue
            for name in names:
                found = (self.structure.by_name.get(name) or self.structure.skipped.get(name)) if name != "*" else None
                if found:
                    return self.index.span(found[0].title_start, found[0].title_end)
        return self.title_span

    # -- lists ------------------------------------------------------------------------------
    def _items(self, prop: dict, entries, rows, path: tuple):
        item_schema = prop.get("items", {})
        fields = self.plan.items.get(id(item_schema.get("properties")))
        values: list = []
        if entries:
            first = entries[0]
            self.spans.setdefault(path, self.index.span(first.start, entries[-1].end))
        for entry in entries:
            here = path + (len(values),)
            if fields is None:
                value = self._convert(item_schema, entry.start, entry.end, here)
                if value is not MISSING and value is not UNFILLED:
                    values.append(value)
                continue
            item = self._item(fields, entry, here)
            if item is not None:
                values.append(item)
        if not entries and rows and fields is not None:
            for row in rows:
                if row.header or len(row.cells) < 2:
                    continue
                item = self._row(fields, row, path + (len(values),))
                if item is not None:
                    values.append(item)
        return values

    def _item(self, fields, entry, path: tuple):
        text = self.text
        start, end = entry.start, entry.end
        properties, wanted = fields.properties, fields.roles
        out: dict = {}
        if "time" in wanted:
            match = _TIME_PREFIX.match(text, start, end)
            if match:
                start = self._put(out, wanted["time"], properties, match.start("time"), match.end("time"), path)
                start = match.end()
        text_end = end
        if fields.inline:
            found = list(_inline_label_rx(fields.inline).finditer(text, start, end))
            if found:
                text_end = found[0].start()
                for position, match in enumerate(found):
                    value_end = found[position + 1].start() if position + 1 < len(found) else end
                    while value_end > match.end() and text[value_end - 1] in " \t),;.":
                        value_end -= 1
                    field_name = fields.inline_names[normalize_label(match.group("label"))]
                    self._put(out, field_name, properties, match.end(), value_end, path)
        if "text" in wanted:
            s, e = clean_value(text, start, text_end)
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
        for name in fields.anchored:
            if name not in out:
                self.anchors.setdefault(path + (name,), self.index.span(entry.start, entry.end))
        self.spans[path] = self.index.span(entry.start, entry.end)
        return out

    def _row(self, fields, row, path: tuple):
        out: dict = {}
        for name, role in fields.row_fields:
            if role == "time":
                self._put(out, name, fields.properties, *row.cells[0], path)
            else:
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

    # -- single values ------------------------------------------------------------------------
    def _unfilled(self, path: tuple, start: int, end: int):
        """Record the placeholder at text[start:end] standing for the value at `path`; a finding
        about that value (a value rule reading it as absent) then points at the placeholder."""
        span = self.index.span(start, end)
        self.placeholders.append(Placeholder(path, self.text[start:end], span))
        self.anchors[path] = span
        return UNFILLED

    def _pattern(self, pattern: str, prop: dict, bounds, path: tuple):
        if bounds is None:
            return MISSING
        found = schema_pattern(pattern).value_span(self.text, bounds[0], bounds[1])
        if found is None:
            return MISSING
        return self._convert(prop, found[0], found[1], path)

    def _convert(self, prop: dict, start: int, end: int, path: tuple, *, body: bool = False, label=None):
        """The value of text[start:end] read as the property's `x-value` kind (VALUE_READERS)."""
        text = self.text
        start, end = clean_value(text, start, end)
        if start >= end:
            if label is not None:
                self.anchors[path] = self.index.span(label.start, label.end)
            return MISSING
        raw = text[start:end]
        if "[" in raw:
            if body:
                if _whole_placeholder(text, start, end):
                    return self._unfilled(path, start, end)
            else:
                matches = list(PLACEHOLDER.finditer(raw))
                if matches:
                    unfilled = self._unfilled(path, start + matches[0].start(), start + matches[0].end())
                    for match in matches[1:]:  # `hotfix/[version]-[brief-description]`: each is left
                        self.placeholders.append(Placeholder(path, match.group(), self.index.span(
                            start + match.start(), start + match.end())))
                    return unfilled
        span = self.index.span(start, end)
        self.spans[path] = span
        read = self.plan.values.get(id(prop)) or VALUE_READERS[value_type(prop)]
        value = read(self, raw, start, end, span, path)
        if value is None:
            self.unparsed.add(path)
            return raw
        return value


DIRECTIVES = {
    # name: its reader (None: `_item` reads it, in list items), the keys it takes, where it may be
    "label":        Directive(Extractor._read_label, options=("scope", "items", "x-aliases")),
    "blocks":       Directive(Extractor._read_blocks),
    "items":        Directive(Extractor._read_items, options=("scope",)),
    "body":         Directive(Extractor._read_body, options=("scope",)),
    "scope":        Directive(Extractor._read_scope),
    "capture":      Directive(Extractor._read_capture, options=("scope",)),
    "implied":      Directive(Extractor._read_implied),
    "scope_name":   Directive(Extractor._read_scope_name),
    "present":      Directive(Extractor._read_present),
    "title":        Directive(Extractor._read_title),
    "front_matter": Directive(Extractor._read_front_matter, options=("pattern",)),
    "from":         Directive(Extractor._read_from, required=("pattern",)),
    "last_of":      Directive(Extractor._read_last_of, required=("field",)),
    "headings":     Directive(Extractor._read_headings),
    "labels":       Directive(Extractor._read_labels),
    "line":         Directive(Extractor._read_line, values=("first", "rest")),
    "item":         Directive(None, values=("text", "checked", "time", "label", "value"), place=LIST_ITEM),
    "item_label":   Directive(None, place=LIST_ITEM),
    "event":        Directive(Extractor._filled_elsewhere, place=ANYWHERE),
    "git":          Directive(Extractor._filled_elsewhere, place=ANYWHERE),
    "engine":       Directive(Extractor._filled_elsewhere, place=ANYWHERE),
}
"""`x-source` directive -> how it is read; a source object holds exactly one directive."""

_PLANS: dict = {}  # id(schema) -> its Plan (which holds the schema, so the id stays its own)


def extraction_plan(schema: dict) -> Plan:
    """The schema checked against DIRECTIVES and VALUE_READERS and prepared, once per schema;
    SchemaError when it uses a directive or value kind they do not have."""
    plan = _PLANS.get(id(schema))
    if plan is None:
        plan = _PLANS[id(schema)] = compile_plan(schema, DIRECTIVES, VALUE_READERS)
    return plan


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


