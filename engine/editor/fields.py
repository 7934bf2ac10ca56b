"""The labels a document kind's schema reads, per block: what completion offers and hover explains.

`schemas/*.schema.json` says where each value is written (`x-source` with a `scope` and a
`label`, aliases, the allowed values as `x-enum` with descriptions). This module flattens that
into one `LabelField` per (property, label source), with the block names it is read in, so the
editor can ask "which labels belong in this block" and "what is this label".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..documents import schema_for
from ..documents.scopes import normalize_label

ANY_UNNAMED = "*"


@dataclass(frozen=True)
class LabelField:
    path: tuple          # property names; "[]" stands for an array's items: ("updates", "[]", "status")
    label: str
    aliases: tuple
    scopes: tuple        # block names the label is read in; "*" any unnamed block
    description: str
    enum: tuple = ()     # ((value, description), ...)
    value: str = "text"  # timestamp, duration, handle, incident_ref, list, int, ...
    items: bool = False  # the value is the list items after the label
    generic: bool = False  # read again from every kind of block (an incident's `messages`)

    @property
    def names(self) -> tuple:
        """The label and its aliases, normalized (case-insensitive, spacing ignored)."""
        return tuple(normalize_label(n) for n in (self.label,) + self.aliases)

    @property
    def dotted(self) -> str:
        return ".".join(p for p in self.path if p != "[]")


def _as_tuple(scope) -> tuple:
    if scope is None:
        return ()
    return (scope,) if isinstance(scope, str) else tuple(scope)


def _sources(node: dict) -> list:
    source = node.get("x-source")
    if isinstance(source, dict):
        return [source]
    return [s for s in source or [] if isinstance(s, dict)]


def _value_kind(node: dict) -> str:
    if "x-value" in node:
        return str(node["x-value"])
    fmt = node.get("format")
    if fmt == "date-time":
        return "timestamp"
    if fmt == "duration":
        return "duration"
    return {"integer": "int", "boolean": "bool", "array": "list"}.get(node.get("type"), "text")


def _enum(node: dict) -> tuple:
    return tuple((str(e.get("value")), str(e.get("description", ""))) for e in node.get("x-enum") or ()
                 if isinstance(e, dict))


@cache
def label_fields(kind: str) -> tuple:
    """Every label the kind's schema reads, in schema order."""
    schema = schema_for(kind)
    default_scopes = _as_tuple(schema.get("x-scope")) or (ANY_UNNAMED,)
    found: list = []

    def walk(properties: dict, prefix: tuple, inherited: tuple, generic: bool = False) -> None:
        for name, node in properties.items():
            if not isinstance(node, dict):
                continue
            path = prefix + (name,)
            child_scopes = inherited
            for source in _sources(node):
                if "label" in source:
                    scopes = _as_tuple(source.get("scope")) or inherited or default_scopes
                    aliases = tuple(source.get("x-aliases", ())) + tuple(node.get("x-aliases", ()))
                    found.append(LabelField(path, source["label"], aliases, scopes,
                                            str(node.get("description", "")), _enum(node), _value_kind(node),
                                            bool(source.get("items")), generic))
                elif "scope" in source and not ({"body", "items"} & set(source)):
                    child_scopes = _as_tuple(source["scope"])
                elif "blocks" in source:
                    child_scopes = _as_tuple(source["blocks"])
            if isinstance(node.get("properties"), dict) and node.get("x-value") is None:
                walk(node["properties"], path, child_scopes, generic)
            items = node.get("items")
            if isinstance(items, dict) and isinstance(items.get("properties"), dict) and \
                    any("blocks" in s for s in _sources(node)):
                walk(items["properties"], path + ("[]",), child_scopes, generic or len(child_scopes) > 1)

    walk(schema.get("properties", {}), (), ())
    return tuple(found)


def fields_in_scope(kind: str, scope_name) -> list:
    """The labels read in a block of that name (None: an unnamed block), first source first."""
    key = scope_name if scope_name is not None else ANY_UNNAMED
    result, seen = [], set()
    for field in label_fields(kind):
        if key in field.scopes and not field.generic and field.names[0] not in seen:
            seen.add(field.names[0])
            result.append(field)
    return result


def find_label(kind: str, scope_name, label: str):
    """The field a label written in a block stands for, or None."""
    wanted = normalize_label(label)
    for field in fields_in_scope(kind, scope_name):
        if wanted in field.names:
            return field
    for field in label_fields(kind):  # a label outside its usual block still gets its description
        if wanted in field.names:
            return field
    return None
