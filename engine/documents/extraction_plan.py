"""A schema's extraction annotations (`x-source`, `x-value`) checked and prepared once.

The extractor reads every document of a kind with the same schema. Checking the schema's
annotations against the extractor's vocabulary when the schema is first used, rather than when
some document happens to reach a property, makes a misspelt or unknown directive an error at
load that names the property, instead of a value that is silently never found. Preparing them
once (which reader each source calls, normalized label names, the roles of list item fields)
keeps that work out of every document.

The vocabulary itself, one reader per directive and per value kind, is in `extract.py`
(`DIRECTIVES`) and `value_kinds.py` (`VALUE_READERS`); this module checks a schema against those
tables and prepares what the label and list item readers need. `schemas/README.md` documents
the vocabulary.
"""

from __future__ import annotations

import json
from typing import Callable, NamedTuple, Optional

from .scopes import normalize_label

OBJECT, LIST_ITEM, ANYWHERE = "object", "list item", "anywhere"


class SchemaError(ValueError):
    """A schema annotation the extractor does not understand (a bug in the schema, not in a document)."""


class Directive(NamedTuple):
    """One `x-source` directive: its reader, the keys that may accompany it, where it is read."""

    read: Optional[Callable]        # an Extractor method; None: read by the list item reader
    options: tuple = ()             # keys that may accompany it
    required: tuple = ()            # keys that must
    values: Optional[tuple] = None  # the allowed values of the directive's key, when a closed set
    place: str = OBJECT             # OBJECT, LIST_ITEM (`- [x] text` fields) or ANYWHERE


class Property(NamedTuple):
    """A property an object reader fills: its sources as written, and (reader, source) in order."""

    name: str
    schema: dict
    sources: tuple
    reads: tuple


class ItemFields(NamedTuple):
    """How the fields of one list item (or table row) are read, from the item schema's sources."""

    properties: dict
    roles: dict          # item role (text, checked, time, label, value) -> property name
    inline: tuple        # `item_label` label names, as written
    inline_names: dict   # normalized `item_label` label -> property name
    row_fields: tuple    # (property name, role) of the time and text roles, in property order
    anchored: tuple      # names of properties with a source: anchored at the item when absent


class Plan(NamedTuple):
    """A schema prepared for extraction; the dicts are keyed by the id of the schema's own
    objects (the plan holds the schema, so those ids stay unique)."""

    schema: dict
    objects: dict        # id(properties) -> (Property, ...)
    items: dict          # id(item properties) -> ItemFields
    values: dict         # id(property schema) -> value reader
    label_keys: dict     # id(label source) -> normalized names (label, then aliases)


_KIND_OF_FORMAT = {"date-time": "timestamp", "duration": "duration"}
_KIND_OF_TYPE = {"integer": "int", "boolean": "bool", "array": "list"}


def value_type(prop: dict) -> str:
    """The `x-value` of a property, defaulting from its JSON format, then its type (else text)."""
    return prop.get("x-value") or _KIND_OF_FORMAT.get(prop.get("format")) or _KIND_OF_TYPE.get(prop.get("type"), "text")


def sources_of(prop: dict) -> list:
    """A property's `x-source` as a list (one source object, or a list tried in order)."""
    sources = prop.get("x-source")
    if sources is None:
        return []
    return [sources] if isinstance(sources, dict) else sources


def compile_plan(schema: dict, directives: dict, value_readers: dict) -> Plan:
    """Check every annotation of schema against the vocabulary and prepare it; SchemaError
    names the first problem and where it is."""
    plan = Plan(schema, {}, {}, {}, {})
    _Compiler(plan, directives, value_readers).properties(schema.get("properties", {}), (), place=OBJECT)
    return plan


class _Compiler:
    """One walk over a schema's properties (nested objects and item schemas included), filling a Plan."""

    def __init__(self, plan: Plan, directives: dict, value_readers: dict):
        self.plan = plan
        self.directives = directives
        self.value_readers = value_readers
        self.kind = plan.schema.get("x-kind") or plan.schema.get("$id") or "schema"

    def fail(self, path: tuple, problem: str):
        where = ".".join(str(key) for key in path) or "(top level)"
        raise SchemaError(f"{self.kind} schema, {where}: {problem} (see schemas/README.md)")

    def properties(self, properties: dict, path: tuple, *, place: str) -> None:
        entries, roles, inline, row_fields, anchored = [], {}, [], [], []
        for name, prop in properties.items():
            here = path + (name,)
            self.value(prop, here)
            if not isinstance(prop.get("x-source", []), (dict, list)):
                self.fail(here, f"x-source must be an object or a list of objects, not {json.dumps(prop['x-source'])}")
            sources = tuple(sources_of(prop))
            named = [self.directive(source, prop, here, place) for source in sources]
            if sources:
                anchored.append(name)
                entries.append(Property(name, prop, sources,
                                        tuple((self.directives[d].read, s) for d, s in zip(named, sources))))
            for directive, source in zip(named, sources):
                if directive == "item":
                    roles[source["item"]] = name
                    if source["item"] in ("time", "text"):
                        row_fields.append((name, source["item"]))
                elif directive == "item_label":
                    inline.append((source["item_label"], name))
            self.nested(prop, here, named)
        if place == LIST_ITEM:
            self.plan.items[id(properties)] = ItemFields(
                properties, roles, tuple(label for label, _ in inline),
                {normalize_label(label): name for label, name in inline}, tuple(row_fields), tuple(anchored))
        else:
            self.plan.objects[id(properties)] = tuple(entries)

    def nested(self, prop: dict, path: tuple, named: list) -> None:
        if isinstance(prop.get("properties"), dict):
            self.properties(prop["properties"], path, place=OBJECT)
        item_schema = prop.get("items")
        if not isinstance(item_schema, dict):
            return
        self.value(item_schema, path + ("[]",))
        if isinstance(item_schema.get("properties"), dict):
            read_as_list_items = "items" in named or ("label" in named and prop.get("type") == "array")
            self.properties(item_schema["properties"], path + ("[]",), place=LIST_ITEM if read_as_list_items else OBJECT)

    def value(self, prop: dict, path: tuple) -> None:
        kind = value_type(prop)
        if kind not in self.value_readers:
            self.fail(path, f"unknown x-value {kind!r}; expected one of {', '.join(self.value_readers)}")
        self.plan.values[id(prop)] = self.value_readers[kind]

    def directive(self, source, prop: dict, path: tuple, place: str) -> str:
        """The name of the directive a source object uses, after checking it."""
        if not isinstance(source, dict):
            self.fail(path, f"x-source must be an object or a list of objects, not {json.dumps(source)}")
        keys = set(source)
        fits = [name for name in source if name in self.directives and
                keys - {name} <= {*self.directives[name].options, *self.directives[name].required}]
        if len(fits) != 1:
            unknown = sorted(key for key in keys if not any(
                key == name or key in d.options or key in d.required for name, d in self.directives.items()))
            if unknown:
                self.fail(path, f"unknown x-source directive {', '.join(map(repr, unknown))}; expected one of "
                                f"{', '.join(self.directives)}")
            self.fail(path, f"x-source {json.dumps(source)} combines keys that do not go together")
        name = fits[0]
        directive = self.directives[name]
        missing = set(directive.required) - keys
        if missing:
            self.fail(path, f"x-source {name!r} needs {', '.join(sorted(missing))}")
        if directive.values is not None and source[name] not in directive.values:
            self.fail(path, f"x-source {name!r} is one of {', '.join(sorted(directive.values))}, "
                            f"not {json.dumps(source[name])}")
        if directive.place not in (place, ANYWHERE):
            self.fail(path, f"x-source {name!r} is read in {directive.place}s, not in {place}s (list items are "
                            f"the item schema of an array read with `items` or with a label's items)")
        if name == "label":
            self.plan.label_keys[id(source)] = (normalize_label(source["label"]),) + tuple(
                normalize_label(alias) for alias in (*source.get("x-aliases", ()), *prop.get("x-aliases", ())))
        return name
